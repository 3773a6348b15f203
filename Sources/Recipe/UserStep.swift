/// `user:` who the image's processes run as: `1000`, `1000:100`, `app` or `app:staff` (names
/// are looked up by the container runtime in the image's /etc/passwd and /etc/group).
public struct UserStep: Sendable, Hashable {
    public var user: String

    public init(user: String) {
        self.user = user
    }
}

extension UserStep: CanonicallyEncodable {
    var canonical: CanonicalValue { .string(user) }
}

extension UserStep {
    static func parse(_ field: Field, in context: RecipeParseContext) -> UserStep? {
        guard let text = field.nonEmptyString(in: context, expected: "a user like \"1000\", \"1000:100\" or \"app\"") else { return nil }
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count <= 2, parts.allSatisfy({ !$0.isEmpty }), !text.contains(where: \.isWhitespace) else {
            context.report(field, "expected USER or USER:GROUP (names or numbers), got \(Quoted.text(text))")
            return nil
        }
        return UserStep(user: text)
    }
}
