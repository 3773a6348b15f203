/// A Python distribution name as written (`Torch_Vision`), with its PEP 503 normal form
/// (`torch-vision`) used for comparisons.
public struct PipPackageName: Sendable, Hashable, CustomStringConvertible {
    public var name: String
    public var location: SourceLocation

    public init(name: String, location: SourceLocation) {
        self.name = name
        self.location = location
    }

    /// Lowercase, runs of `-`, `_`, `.` as one `-`.
    public var normalized: String { Self.normalize(name) }

    public var description: String { name }

    static func normalize(_ name: String) -> String {
        var result = ""
        var lastWasSeparator = false
        for character in name.lowercased() {
            if character == "-" || character == "_" || character == "." {
                if !lastWasSeparator { result.append("-") }
                lastWasSeparator = true
            } else {
                result.append(character)
                lastWasSeparator = false
            }
        }
        return result
    }

    /// PEP 508 names: ASCII letters and digits, with `.`, `_`, `-` inside.
    static func isValid(_ name: String) -> Bool {
        guard let first = name.first, let last = name.last, isAlphanumeric(first), isAlphanumeric(last) else { return false }
        return name.allSatisfy { isAlphanumeric($0) || $0 == "." || $0 == "_" || $0 == "-" }
    }

    static func isAlphanumeric(_ character: Character) -> Bool {
        character.isASCII && (character.isLetter || character.isNumber)
    }
}

extension PipPackageName {
    static func parse(_ text: String, field: Field, in context: RecipeParseContext) -> PipPackageName? {
        guard isValid(text) else {
            context.report(field, "invalid package name \(Quoted.text(text)): names are letters and digits, with '.', '_' or '-' inside")
            return nil
        }
        return PipPackageName(name: text, location: field.location(in: context))
    }
}
