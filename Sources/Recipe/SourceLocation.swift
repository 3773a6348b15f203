/// Where something was written in a recipe: the file, the 1-based line and column of its YAML
/// node, and the field path (`steps[2].copy.dest`, steps counted from 0).
///
/// Line and column 0 mean the file as a whole (it could not be read, or is empty).
public struct SourceLocation: Sendable, Hashable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int
    /// The field path, empty for the document itself.
    public var field: String

    public init(file: String, line: Int, column: Int, field: String) {
        self.file = file
        self.line = line
        self.column = column
        self.field = field
    }

    /// `recipe.yml:12:7`, or just `recipe.yml` for the file as a whole.
    public var description: String {
        line > 0 ? "\(file):\(line):\(column)" : file
    }

    /// The same place, naming a field inside it.
    public func naming(_ field: String) -> SourceLocation {
        SourceLocation(file: file, line: line, column: column, field: field)
    }
}
