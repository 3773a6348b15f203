/// A semver-style range over tag versions: comparators joined by spaces or commas, all of
/// which must hold (`>=2.1, <2.3`), alternatives with `||` (`2.1.x || >=2.4`). A bare version
/// or one with `=`/`==` matches that version exactly; `2.1.x`, `2.1.*` and `~2.1` match every
/// `2.1.…`; `^2.1` matches `>=2.1, <3`.
public struct VersionRange: Sendable, CustomStringConvertible {
    enum Comparator: Sendable {
        case less(TagVersion), lessOrEqual(TagVersion), greater(TagVersion), greaterOrEqual(TagVersion)
        case equal(TagVersion), notEqual(TagVersion)
        /// Every version whose first components are these.
        case prefix([Int])

        func matches(_ version: TagVersion) -> Bool {
            switch self {
            case .less(let bound): return version < bound
            case .lessOrEqual(let bound): return version <= bound
            case .greater(let bound): return version > bound
            case .greaterOrEqual(let bound): return version >= bound
            case .equal(let bound): return version == bound
            case .notEqual(let bound): return version != bound
            case .prefix(let components):
                return (0..<components.count).allSatisfy { index in
                    (index < version.components.count ? version.components[index] : 0) == components[index]
                }
            }
        }
    }

    let alternatives: [[Comparator]]
    public let description: String

    public init(parsing text: String) throws(MirrorConfigurationError) {
        description = text
        var alternatives: [[Comparator]] = []
        for alternative in text.components(separatedBy: "||") {
            let words = alternative.split(whereSeparator: { $0 == " " || $0 == "," }).map(String.init)
            guard !words.isEmpty else { throw .invalidRange(text, "an empty alternative") }
            var comparators: [Comparator] = []
            var pendingOperator: String?
            for word in words {
                if ["<", "<=", ">", ">=", "=", "==", "!="].contains(word) {
                    pendingOperator = word
                    continue
                }
                let comparator = try Self.comparator(pendingOperator.map { $0 + word } ?? word, in: text)
                pendingOperator = nil
                comparators.append(comparator)
            }
            if let pendingOperator { throw .invalidRange(text, "'\(pendingOperator)' is not followed by a version") }
            alternatives.append(comparators)
        }
        self.alternatives = alternatives
    }

    public func contains(_ version: TagVersion) -> Bool {
        alternatives.contains { $0.allSatisfy { $0.matches(version) } }
    }

    private static func comparator(_ word: String, in text: String) throws(MirrorConfigurationError) -> Comparator {
        for op in ["<=", ">=", "==", "!=", "<", ">", "=", "~", "^"] where word.hasPrefix(op) {
            let rest = String(word.dropFirst(op.count))
            switch op {
            case "~": return .prefix(try numbers(rest, in: text))
            case "^":
                let components = try numbers(rest, in: text)
                return .prefix([components[0]])
            case "=", "==": return try exactOrWildcard(rest, in: text)
            default:
                let version = try version(rest, in: text)
                switch op {
                case "<": return .less(version)
                case "<=": return .lessOrEqual(version)
                case ">": return .greater(version)
                case ">=": return .greaterOrEqual(version)
                default: return .notEqual(version)
                }
            }
        }
        return try exactOrWildcard(word, in: text)
    }

    private static func exactOrWildcard(_ word: String, in text: String) throws(MirrorConfigurationError) -> Comparator {
        var parts = word.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        if let last = parts.last, ["x", "X", "*"].contains(last) {
            parts.removeLast()
            return .prefix(try numbers(parts.joined(separator: "."), in: text))
        }
        return .equal(try version(word, in: text))
    }

    private static func numbers(_ word: String, in text: String) throws(MirrorConfigurationError) -> [Int] {
        let parts = word.split(separator: ".", omittingEmptySubsequences: false)
        let numbers = parts.compactMap { Int($0) }
        guard !parts.isEmpty, numbers.count == parts.count else {
            throw .invalidRange(text, "'\(word)' is not a version like 2.1 or 2.1.0")
        }
        return numbers
    }

    private static func version(_ word: String, in text: String) throws(MirrorConfigurationError) -> TagVersion {
        TagVersion(components: try numbers(word, in: text))
    }
}
