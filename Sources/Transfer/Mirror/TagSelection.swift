import Foundation

/// Which tags of a repository a mirror copies: named tags, plus the tags of the source's tag
/// list that pass every filter given (a regular expression, a version range), of which the
/// `latest` N by version when that is set.
public struct TagSelection: Sendable {
    public var tags: [String]
    public var pattern: String?
    public var range: VersionRange?
    public var latest: Int?

    public init(tags: [String] = [], pattern: String? = nil, range: VersionRange? = nil, latest: Int? = nil)
        throws(MirrorConfigurationError)
    {
        self.tags = tags
        self.pattern = pattern
        self.range = range
        self.latest = latest
        if let pattern, (try? NSRegularExpression(pattern: pattern)) == nil {
            throw .invalidPattern(pattern)
        }
        if let latest, latest < 1 { throw .invalidValue(field: "latest", "must be 1 or more, got \(latest)") }
        if tags.isEmpty, pattern == nil, range == nil, latest == nil {
            throw .invalidValue(field: "tags", "say which tags to copy: tags, tag_regex, semver or latest")
        }
    }

    /// Whether the source's tag list is needed (any filter is set).
    public var needsTagList: Bool { pattern != nil || range != nil || latest != nil }

    /// The tags to copy, from the source's tag list: named tags first, in their order, then the
    /// filtered ones, newest version first. Without filters the tag list is not used.
    public func select(from available: [String]) -> [String] {
        var result = tags
        guard needsTagList else { return result }
        let expression = pattern.flatMap { try? NSRegularExpression(pattern: $0) }
        var matching = available.filter { tag in
            if let expression {
                let range = NSRange(tag.startIndex..., in: tag)
                guard expression.firstMatch(in: tag, range: range) != nil else { return false }
            }
            if let range {
                guard let version = TagVersion(tag: tag), range.contains(version) else { return false }
            }
            return true
        }
        matching.sort(by: Self.newestFirst)
        if let latest { matching = Array(matching.prefix(latest)) }
        for tag in matching where !result.contains(tag) { result.append(tag) }
        return result
    }

    /// Tags with a higher leading version first; tags without one last; ties by name, descending.
    static func newestFirst(_ lhs: String, _ rhs: String) -> Bool {
        switch (TagVersion(tag: lhs), TagVersion(tag: rhs)) {
        case let (left?, right?) where left != right: return left > right
        case (.some, nil): return true
        case (nil, .some): return false
        default: return lhs > rhs
        }
    }
}
