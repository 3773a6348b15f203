/// One problem with a recipe, at the place it was written:
/// `recipe.yml:12:7: steps[2].copy.dest: must be an absolute path inside the image (got "app"); did you mean "/app"?`
public struct RecipeError: Error, Sendable, Hashable, CustomStringConvertible {
    public var file: String
    /// 1-based; 0 when the problem concerns the whole file.
    public var line: Int
    /// 1-based, counted in Unicode scalars; 0 when the problem concerns the whole file.
    public var column: Int
    /// The field path (`steps[2].copy.dest`), empty for the document itself.
    public var field: String
    /// What is wrong.
    public var message: String
    /// What to write instead (`did you mean 'image'?`), when there is something to suggest.
    public var suggestion: String?

    public init(file: String, line: Int, column: Int, field: String, message: String, suggestion: String? = nil) {
        self.file = file
        self.line = line
        self.column = column
        self.field = field
        self.message = message
        self.suggestion = suggestion
    }

    public init(at location: SourceLocation, _ message: String, suggestion: String? = nil) {
        self.init(
            file: location.file, line: location.line, column: location.column, field: location.field,
            message: message, suggestion: suggestion)
    }

    public var location: SourceLocation {
        SourceLocation(file: file, line: line, column: column, field: field)
    }

    /// One line: `file:line:column: field: message; suggestion`.
    public var description: String {
        var text = location.description + ": "
        if !field.isEmpty { text += field + ": " }
        text += message
        if let suggestion { text += "; " + suggestion }
        return text
    }
}

/// Every problem found in a recipe, in the order they appear in the file. Parsing goes on after
/// a problem so that one run reports them all.
public struct RecipeErrors: Error, Sendable, Hashable, CustomStringConvertible {
    /// Never empty.
    public var errors: [RecipeError]

    public init(_ errors: [RecipeError]) {
        self.errors = errors
    }

    public init(_ error: RecipeError) {
        self.errors = [error]
    }

    /// The exit status for an invalid recipe (sysexits' `EX_USAGE`).
    public static let exitStatus: Int32 = 64

    /// One line per problem.
    public var description: String {
        errors.map(\.description).joined(separator: "\n")
    }
}
