/// A conda package name (`pytorch`, `faiss-gpu`, `_openmp_mutex`), as written in `remove:`.
public struct CondaPackageName: Sendable, Hashable, CustomStringConvertible {
    public var name: String
    public var location: SourceLocation

    public init(name: String, location: SourceLocation) {
        self.name = name
        self.location = location
    }

    public var description: String { name }

    static func isNameCharacter(_ character: Character) -> Bool {
        character.isASCII && (character.isLetter || character.isNumber || character == "_" || character == "-" || character == ".")
    }

    static func parse(_ text: String, field: Field, in context: RecipeParseContext) -> CondaPackageName? {
        guard text.allSatisfy(isNameCharacter) else {
            context.report(field, "invalid conda package name \(Quoted.text(text)): names are letters, digits, '_', '-' and '.'")
            return nil
        }
        return CondaPackageName(name: text.lowercased(), location: field.location(in: context))
    }
}
