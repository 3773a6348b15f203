/// A conda channel: a name on anaconda.org (`conda-forge`, `pytorch`, `nvidia/label/cuda-11.8.0`)
/// or a channel URL (`https://conda.anaconda.org/conda-forge`).
public enum CondaChannel: Sendable, Hashable, CustomStringConvertible {
    case name(String)
    case url(String)

    public var description: String {
        switch self {
        case .name(let name): return name
        case .url(let url): return url
        }
    }

    static func parse(_ text: String, field: Field, in context: RecipeParseContext) -> CondaChannel? {
        if text.contains("://") {
            return HTTPURL.check(text, field: field, what: "a channel name or an http:// or https:// channel URL", in: context)
                .map { CondaChannel.url($0.hasSuffix("/") ? String($0.dropLast()) : $0) }
        }
        let segments = text.split(separator: "/", omittingEmptySubsequences: false)
        guard segments.allSatisfy({ !$0.isEmpty && $0.allSatisfy(CondaPackageName.isNameCharacter) }) else {
            context.report(field, "expected a channel name like conda-forge or a channel URL, got \(Quoted.text(text))")
            return nil
        }
        return .name(text)
    }
}
