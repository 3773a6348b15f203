/// A `find_links` entry: an HTML page of wheel links, or a local directory of wheels (or a
/// local HTML file), as `pip --find-links`.
public enum PipLinkSource: Sendable, Hashable, CustomStringConvertible {
    case url(String)
    case path(HostPath)

    public var description: String {
        switch self {
        case .url(let url): return url
        case .path(let path): return path.written
        }
    }

    var canonical: CanonicalValue {
        switch self {
        case .url(let url): return .object(["url": .string(url)])
        case .path(let path): return .object(["path": .string(path.written)])
        }
    }

    static func parse(_ text: String, field: Field, allowOutside: Bool, in context: RecipeParseContext) -> PipLinkSource? {
        if text.contains("://") {
            return HTTPURL.check(text, field: field, in: context).map(PipLinkSource.url)
        }
        return context.hostPaths.check(text, field: field, allowOutside: allowOutside, in: context).map(PipLinkSource.path)
    }
}
