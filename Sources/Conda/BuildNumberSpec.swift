/// A constraint on a record's `build_number`, as in `numpy[build_number=2]` or
/// `numpy[build_number='>=2']`.
public struct BuildNumberSpec: Sendable, Hashable, CustomStringConvertible {
    public enum Relation: String, Sendable, Hashable {
        case equal = "=="
        case notEqual = "!="
        case less = "<"
        case lessOrEqual = "<="
        case greater = ">"
        case greaterOrEqual = ">="
    }

    public var relation: Relation
    public var number: Int

    public init(_ relation: Relation = .equal, _ number: Int) {
        self.relation = relation
        self.number = number
    }

    /// Parses `3`, `==3`, `=3`, `!=3`, `<3`, `<=3`, `>3` or `>=3`; nil for anything else.
    public init?(_ text: String) {
        let text = text.trimmingWhitespace()
        for (prefix, relation) in [
            ("==", Relation.equal), ("!=", .notEqual), ("<=", .lessOrEqual), (">=", .greaterOrEqual), ("<", .less),
            (">", .greater), ("=", .equal), ("", .equal),
        ] where text.hasPrefix(prefix) {
            guard let number = Int(text.dropFirst(prefix.count)), number >= 0 else { return nil }
            self.init(relation, number)
            return
        }
        return nil
    }

    public func matches(_ buildNumber: Int) -> Bool {
        switch relation {
        case .equal: return buildNumber == number
        case .notEqual: return buildNumber != number
        case .less: return buildNumber < number
        case .lessOrEqual: return buildNumber <= number
        case .greater: return buildNumber > number
        case .greaterOrEqual: return buildNumber >= number
        }
    }

    public var description: String { relation == .equal ? String(number) : relation.rawValue + String(number) }
}
