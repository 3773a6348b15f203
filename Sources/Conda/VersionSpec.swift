import Foundation

/// A conda version constraint (conda's `VersionSpec`), as in `depends` entries and MatchSpecs.
///
/// Grammar: alternatives with `|`, conjunctions with `,` (binding tighter), parentheses for
/// grouping. Each term is one of:
/// - `*`: any version;
/// - `1.7.*` or `1.7*`: starts with 1.7 (``CondaVersion/starts(with:)``: 1.7, 1.7.0, 1.7.3, not 1.70);
/// - `1.7`: exactly 1.7 (== 1.7.0), with the same meaning as `==1.7`;
/// - `==`, `!=`, `<`, `<=`, `>`, `>=` followed by a version (no space after the operator);
/// - `=1.7`: starts with 1.7; `!=1.7.*`: does not start with 1.7; `>=1.7.*` is `>=1.7`;
/// - `~=1.4.2`: compatible release, `>=1.4.2` and starts with `1.4`;
/// - a glob with `*` inside (`*.7.*`), matched against the version string;
/// - a regular expression `^…$`, matched against the version string.
///
/// In a MatchSpec's positional form, conda rewrites `name=1.7` to `1.7*` before this parser sees
/// it, while `name 1.7` stays exact; see ``MatchSpec``.
public struct VersionSpec: Sendable, Hashable, CustomStringConvertible {
    let node: Node

    /// Any version (`*`).
    public static let any = VersionSpec(node: .any)

    init(node: Node) {
        self.node = node
    }

    /// Parses a version spec; throws a ``VersionSpecError`` naming the spec and what is wrong.
    public init(_ text: String) throws(VersionSpecError) {
        var parser = Parser(text: text)
        node = try parser.parseWhole()
    }

    /// The spec in a normal form (`>=1.7,<2|>3`); parsing it again gives an equal spec.
    public var description: String { node.rendered(inConjunction: false) }

    /// Whether `version` satisfies the spec.
    public func matches(_ version: CondaVersion) -> Bool {
        node.matches(text: version.original, version: version)
    }

    /// Whether the version string satisfies the spec. A string that is not a valid conda version
    /// only satisfies `*`, globs and regular expressions.
    public func matches(_ version: String) -> Bool {
        node.matches(text: version, version: try? CondaVersion(version))
    }

    /// True for `*`.
    public var matchesAll: Bool { node == .any }

    /// The version an exact spec (`1.7`, `==1.7`) pins; nil for anything else.
    public var exactVersion: CondaVersion? {
        if case .relation(.equal, let version) = node { return version }
        return nil
    }

    /// The conjunction of two specs (`self,other`).
    public func and(_ other: VersionSpec) -> VersionSpec {
        if matchesAll { return other }
        if other.matchesAll { return self }
        var terms: [Node] = []
        for side in [node, other.node] {
            if case .all(let inner) = side { terms += inner } else { terms.append(side) }
        }
        return VersionSpec(node: .all(terms))
    }

    enum Relation: String, Sendable, Hashable {
        case equal = "=="
        case notEqual = "!="
        case less = "<"
        case lessOrEqual = "<="
        case greater = ">"
        case greaterOrEqual = ">="
        case notStartsWith = "!=startswith"
    }

    indirect enum Node: Sendable, Hashable {
        case any
        case all([Node])
        case anyOf([Node])
        case relation(Relation, CondaVersion)
        /// `~=`: at least `minimum`, starting with `prefix` (minimum without its last component).
        case compatible(minimum: CondaVersion, prefix: CondaVersion)
        /// A `*` glob over the version string; `written` is the term as given.
        case glob(String)
        /// A regular expression `^…$` over the version string.
        case regex(String)
        /// `1.7*`, `1.7.*` or `=1.7`: starts with the version.
        case fuzzy(CondaVersion)

        func matches(text: String, version: CondaVersion?) -> Bool {
            switch self {
            case .any: return true
            case .all(let terms): return terms.allSatisfy { $0.matches(text: text, version: version) }
            case .anyOf(let terms): return terms.contains { $0.matches(text: text, version: version) }
            case .glob(let pattern): return globMatches(pattern, text)
            case .regex(let pattern):
                guard let expression = try? NSRegularExpression(pattern: pattern) else { return false }
                let range = NSRange(text.startIndex..., in: text)
                return expression.firstMatch(in: text, options: [.anchored], range: range) != nil
            case .fuzzy(let prefix):
                return version?.starts(with: prefix) ?? false
            case .compatible(let minimum, let prefix):
                guard let version else { return false }
                return version >= minimum && version.starts(with: prefix)
            case .relation(let relation, let bound):
                guard let version else { return false }
                switch relation {
                case .equal: return version == bound
                case .notEqual: return version != bound
                case .less: return version < bound
                case .lessOrEqual: return version <= bound
                case .greater: return version > bound
                case .greaterOrEqual: return version >= bound
                case .notStartsWith: return !version.starts(with: bound)
                }
            }
        }

        func rendered(inConjunction: Bool) -> String {
            switch self {
            case .any: return "*"
            case .all(let terms): return terms.map { $0.rendered(inConjunction: true) }.joined(separator: ",")
            case .anyOf(let terms):
                let text = terms.map { $0.rendered(inConjunction: false) }.joined(separator: "|")
                return inConjunction ? "(\(text))" : text
            case .glob(let pattern): return pattern
            case .regex(let pattern): return pattern
            case .fuzzy(let prefix): return prefix.normalized + ".*"
            case .compatible(let minimum, _): return "~=" + minimum.normalized
            case .relation(.notStartsWith, let bound): return "!=" + bound.normalized + ".*"
            case .relation(.equal, let bound): return bound.normalized
            case .relation(let relation, let bound): return relation.rawValue + bound.normalized
            }
        }
    }

    /// Recursive descent over `|` (lowest), `,` and parentheses.
    struct Parser {
        let text: String
        let characters: [Character]
        var position = 0

        init(text: String) {
            self.text = text
            characters = Array(text)
        }

        mutating func parseWhole() throws(VersionSpecError) -> Node {
            let node = try parseAlternatives()
            skipSpaces()
            if position < characters.count {
                throw .invalid(text, reason: "unexpected '\(characters[position])' at position \(position + 1)")
            }
            return node
        }

        mutating func parseAlternatives() throws(VersionSpecError) -> Node {
            var terms = [try parseConjunction()]
            while peek() == "|" {
                position += 1
                terms.append(try parseConjunction())
            }
            return terms.count == 1 ? terms[0] : .anyOf(terms.flatMap { term -> [Node] in
                if case .anyOf(let inner) = term { return inner }
                return [term]
            })
        }

        mutating func parseConjunction() throws(VersionSpecError) -> Node {
            var terms = [try parsePrimary()]
            while peek() == "," {
                position += 1
                terms.append(try parsePrimary())
            }
            return terms.count == 1 ? terms[0] : .all(terms.flatMap { term -> [Node] in
                if case .all(let inner) = term { return inner }
                return [term]
            })
        }

        mutating func parsePrimary() throws(VersionSpecError) -> Node {
            skipSpaces()
            if peek() == "(" {
                position += 1
                let inner = try parseAlternatives()
                guard peek() == ")" else { throw .invalid(text, reason: "missing ')'") }
                position += 1
                return inner
            }
            var term = ""
            if peek() == "^" {
                while position < characters.count {
                    term.append(characters[position])
                    position += 1
                    if term.last == "$" { break }
                }
            } else {
                while position < characters.count, !"()|,".contains(characters[position]) {
                    term.append(characters[position])
                    position += 1
                }
            }
            term = term.trimmingWhitespace()
            guard !term.isEmpty else { throw .invalid(text, reason: "empty term") }
            return try Self.parseTerm(term, in: text)
        }

        mutating func peek() -> Character? {
            skipSpaces()
            return position < characters.count ? characters[position] : nil
        }

        mutating func skipSpaces() {
            while position < characters.count, characters[position].isWhitespace { position += 1 }
        }

        static func parseTerm(_ term: String, in text: String) throws(VersionSpecError) -> Node {
            func version(_ string: String) throws(VersionSpecError) -> CondaVersion {
                do {
                    return try CondaVersion(string)
                } catch {
                    throw .invalidVersion(text, error)
                }
            }
            if term.hasPrefix("^") || term.hasSuffix("$") {
                guard term.hasPrefix("^"), term.hasSuffix("$") else {
                    throw .invalid(text, reason: "a regular expression must start with '^' and end with '$'")
                }
                guard (try? NSRegularExpression(pattern: term)) != nil else {
                    throw .invalid(text, reason: "'\(term)' is not a valid regular expression")
                }
                return .regex(term)
            }
            if let first = term.first, "=<>!~".contains(first) {
                let twoCharacter = ["==", "!=", "<=", ">=", "~="]
                let operatorText = twoCharacter.first { term.hasPrefix($0) } ?? String(first)
                var operand = String(term.dropFirst(operatorText.count))
                guard !["!", "~"].contains(operatorText) else {
                    throw .invalid(text, reason: "unknown operator in '\(term)'")
                }
                guard let operandStart = operand.first, !"=<>!~".contains(operandStart),
                    !operand.contains(where: \.isWhitespace)
                else {
                    throw .invalid(text, reason: "invalid operator in '\(term)' (no space is allowed after it)")
                }
                var relation: Relation
                switch operatorText {
                case "==": relation = .equal
                case "!=": relation = .notEqual
                case "<": relation = .less
                case "<=": relation = .lessOrEqual
                case ">": relation = .greater
                case ">=": relation = .greaterOrEqual
                case "=": relation = .equal
                default:
                    // ~=
                    guard !operand.hasSuffix(".*") else { throw .invalid(text, reason: "'~=' cannot take '.*'") }
                    let minimum = try version(operand)
                    let parts = minimum.normalized.split(separator: ".", omittingEmptySubsequences: false)
                    guard parts.count > 1 else {
                        throw .invalid(text, reason: "'~=' needs a version with at least two components")
                    }
                    return .compatible(minimum: minimum, prefix: try version(parts.dropLast().joined(separator: ".")))
                }
                if operand.hasSuffix(".*") {
                    // `=1.7.*` and `>=1.7.*` mean `=1.7` and `>=1.7`; `!=1.7.*` excludes the 1.7 series;
                    // conda ignores the `.*` after other operators (with a deprecation warning).
                    // A bare trailing `*` (`>1.0*`) stays part of the version, where `*` sorts lowest.
                    operand.removeLast(2)
                    if relation == .notEqual { relation = .notStartsWith }
                    guard !operand.isEmpty else { throw .invalid(text, reason: "no version in '\(term)'") }
                }
                // `=1.7` is conda's "starts with", the same test as `1.7.*`.
                return operatorText == "=" ? .fuzzy(try version(operand)) : .relation(relation, try version(operand))
            }
            if term == "*" { return .any }
            var withoutTrailingStars = term
            while withoutTrailingStars.hasSuffix("*") { withoutTrailingStars.removeLast() }
            if withoutTrailingStars.contains("*") { return .glob(term) }
            if withoutTrailingStars.count < term.count {
                if withoutTrailingStars.hasSuffix(".") { withoutTrailingStars.removeLast() }
                return .fuzzy(try version(withoutTrailingStars))
            }
            return .relation(.equal, try version(term))
        }
    }
}

/// Why a version spec could not be parsed.
public enum VersionSpecError: Error, Sendable, Hashable, CustomStringConvertible {
    case invalid(String, reason: String)
    case invalidVersion(String, CondaVersionError)

    public var description: String {
        switch self {
        case .invalid(let spec, let reason): return "invalid version spec '\(spec)': \(reason)"
        case .invalidVersion(let spec, let error): return "invalid version spec '\(spec)': \(error)"
        }
    }
}
