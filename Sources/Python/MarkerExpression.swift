import Foundation

/// Why a string is not a PEP 508 environment marker.
public struct MarkerError: Error, Sendable, Hashable, CustomStringConvertible {
    public var text: String
    public var reason: String
    public var description: String { "invalid environment marker '\(text)': \(reason)" }
}

/// A marker variable (PEP 508), with the legacy dotted spellings accepted on input.
public enum MarkerVariable: String, Sendable, Hashable, CaseIterable {
    case pythonVersion = "python_version"
    case pythonFullVersion = "python_full_version"
    case osName = "os_name"
    case sysPlatform = "sys_platform"
    case platformMachine = "platform_machine"
    case platformRelease = "platform_release"
    case platformSystem = "platform_system"
    case platformVersion = "platform_version"
    case platformPythonImplementation = "platform_python_implementation"
    case implementationName = "implementation_name"
    case implementationVersion = "implementation_version"
    case extra

    init?(spelling: String) {
        let aliases: [String: MarkerVariable] = [
            "os.name": .osName, "sys.platform": .sysPlatform, "platform.version": .platformVersion,
            "platform.machine": .platformMachine, "platform.python_implementation": .platformPythonImplementation,
            "python_implementation": .platformPythonImplementation,
        ]
        if let v = MarkerVariable(rawValue: spelling) ?? aliases[spelling] { self = v } else { return nil }
    }

    /// Compared as PEP 440 versions whenever the other side parses as a specifier.
    public var isVersionLike: Bool {
        self == .pythonVersion || self == .pythonFullVersion || self == .implementationVersion
    }
}

/// A marker comparison operator.
public enum MarkerOperator: String, Sendable, Hashable, CaseIterable {
    case equal = "==", notEqual = "!=", less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">="
    case compatible = "~=", arbitrary = "===", `in` = "in", notIn = "not in"
}

/// A parsed PEP 508 environment marker: `python_version >= "3.8" and (os_name == 'posix' or extra == "gpu")`.
public indirect enum MarkerExpression: Sendable, Hashable, CustomStringConvertible {
    public enum Value: Sendable, Hashable, CustomStringConvertible {
        case variable(MarkerVariable)
        case literal(String)
        public var description: String {
            switch self {
            case .variable(let v): v.rawValue
            case .literal(let s): s.contains("\"") ? "'\(s)'" : "\"\(s)\""
            }
        }
    }

    case comparison(Value, MarkerOperator, Value)
    case and(MarkerExpression, MarkerExpression)
    case or(MarkerExpression, MarkerExpression)

    /// Parses a whole marker (the part after `;` in a requirement).
    public init(_ text: String) throws(MarkerError) {
        var parser = MarkerParser(text: text)
        self = try parser.parseAll()
    }

    public var description: String {
        switch self {
        case .comparison(let l, let op, let r): return "\(l) \(op.rawValue) \(r)"
        case .or(let l, let r): return "\(l) or \(r)"
        case .and(let l, let r):
            func wrap(_ e: MarkerExpression) -> String {
                if case .or = e { return "(\(e))" }
                return e.description
            }
            return "\(wrap(l)) and \(wrap(r))"
        }
    }

    /// Whether the marker mentions `extra`.
    public var mentionsExtra: Bool {
        switch self {
        case .comparison(let l, _, let r): l == .variable(.extra) || r == .variable(.extra)
        case .and(let l, let r), .or(let l, let r): l.mentionsExtra || r.mentionsExtra
        }
    }

    /// True if the marker holds with no extra (`extra == ""`) or with any of `environment.extras`,
    /// as pip evaluates a dependency's marker for the extras requested.
    public func evaluate(_ environment: MarkerEnvironment) -> Bool {
        if evaluate(environment, extra: "") { return true }
        guard mentionsExtra else { return false }
        return environment.extras.contains { evaluate(environment, extra: $0) }
    }

    /// Evaluates with `extra` bound to one value.
    public func evaluate(_ environment: MarkerEnvironment, extra: String) -> Bool {
        switch self {
        case .and(let l, let r): return l.evaluate(environment, extra: extra) && r.evaluate(environment, extra: extra)
        case .or(let l, let r): return l.evaluate(environment, extra: extra) || r.evaluate(environment, extra: extra)
        case .comparison(let l, let op, let r):
            var versionLike = false
            var isExtra = false
            func resolve(_ v: Value) -> String {
                switch v {
                case .literal(let s): return s
                case .variable(let name):
                    versionLike = versionLike || name.isVersionLike
                    if name == .extra {
                        isExtra = true
                        return extra
                    }
                    return environment[name]
                }
            }
            var lhs = resolve(l), rhs = resolve(r)
            if isExtra {
                lhs = ProjectName.normalize(lhs)
                rhs = ProjectName.normalize(rhs)
            }
            return Self.compare(lhs, op, rhs, versionLike: versionLike)
        }
    }

    static func compare(_ lhs: String, _ op: MarkerOperator, _ rhs: String, versionLike: Bool) -> Bool {
        switch op {
        case .in: return rhs.contains(lhs)
        case .notIn: return !rhs.contains(lhs)
        default: break
        }
        if op != .arbitrary, let candidate = try? PythonVersion(lhs),
            versionLike || (try? PythonVersion(rhs)) != nil,
            let spec = try? VersionSpecifier(op.rawValue + rhs)
        {
            return spec.contains(candidate, prereleases: true)
        }
        switch op {
        case .equal, .arbitrary: return lhs == rhs
        case .notEqual: return lhs != rhs
        case .less: return lhs < rhs
        case .lessOrEqual: return lhs <= rhs
        case .greater: return lhs > rhs
        case .greaterOrEqual: return lhs >= rhs
        case .compatible, .in, .notIn: return false
        }
    }
}

/// Recursive-descent parser: `or` binds looser than `and`; parentheses group.
struct MarkerParser {
    enum Token: Equatable {
        case open, close, and, or, op(MarkerOperator), string(String), name(String)
    }

    let text: String
    var tokens: [Token] = []
    var position = 0

    init(text: String) { self.text = text }

    func fail(_ reason: String) -> MarkerError { MarkerError(text: text, reason: reason) }

    mutating func tokenize() throws(MarkerError) {
        let chars = Array(text)
        var i = 0
        while i < chars.count {
            let c = chars[i]
            if c.isWhitespace {
                i += 1
            } else if c == "(" {
                tokens.append(.open); i += 1
            } else if c == ")" {
                tokens.append(.close); i += 1
            } else if c == "\"" || c == "'" {
                guard let end = chars[(i + 1)...].firstIndex(of: c) else { throw fail("unterminated string") }
                tokens.append(.string(String(chars[(i + 1)..<end])))
                i = end + 1
            } else if "=!<>~".contains(c) {
                let rest = String(chars[i..<min(i + 3, chars.count)])
                let ops: [MarkerOperator] = [.arbitrary, .equal, .notEqual, .lessOrEqual, .greaterOrEqual, .compatible, .less, .greater]
                guard let op = ops.first(where: { rest.hasPrefix($0.rawValue) }) else {
                    throw fail("unknown operator at '\(rest)'")
                }
                tokens.append(.op(op))
                i += op.rawValue.count
            } else if c.isLetter || c == "_" {
                var j = i
                while j < chars.count, chars[j].isLetter || chars[j].isNumber || chars[j] == "_" || chars[j] == "." { j += 1 }
                let word = String(chars[i..<j])
                i = j
                switch word {
                case "and": tokens.append(.and)
                case "or": tokens.append(.or)
                case "in": tokens.append(.op(.in))
                case "not":
                    // `not` must be followed by `in`.
                    while i < chars.count, chars[i].isWhitespace { i += 1 }
                    guard i + 2 <= chars.count, String(chars[i..<i + 2]) == "in",
                        i + 2 == chars.count || !(chars[i + 2].isLetter || chars[i + 2].isNumber || chars[i + 2] == "_")
                    else { throw fail("expected 'in' after 'not'") }
                    i += 2
                    tokens.append(.op(.notIn))
                default: tokens.append(.name(word))
                }
            } else {
                throw fail("unexpected character '\(c)'")
            }
        }
    }

    mutating func parseAll() throws(MarkerError) -> MarkerExpression {
        try tokenize()
        if tokens.isEmpty { throw fail("empty marker") }
        let e = try parseOr()
        if position < tokens.count { throw fail("unexpected token after the expression") }
        return e
    }

    var peek: Token? { position < tokens.count ? tokens[position] : nil }

    mutating func parseOr() throws(MarkerError) -> MarkerExpression {
        var e = try parseAnd()
        while peek == .or {
            position += 1
            e = .or(e, try parseAnd())
        }
        return e
    }

    mutating func parseAnd() throws(MarkerError) -> MarkerExpression {
        var e = try parseAtom()
        while peek == .and {
            position += 1
            e = .and(e, try parseAtom())
        }
        return e
    }

    mutating func parseAtom() throws(MarkerError) -> MarkerExpression {
        if peek == .open {
            position += 1
            let e = try parseOr()
            guard peek == .close else { throw fail("expected ')'") }
            position += 1
            return e
        }
        let lhs = try parseValue()
        guard case .op(let op)? = peek else { throw fail("expected a comparison operator after \(lhs)") }
        position += 1
        let rhs = try parseValue()
        return .comparison(lhs, op, rhs)
    }

    mutating func parseValue() throws(MarkerError) -> MarkerExpression.Value {
        switch peek {
        case .string(let s)?:
            position += 1
            return .literal(s)
        case .name(let n)?:
            position += 1
            guard let v = MarkerVariable(spelling: n) else { throw fail("unknown variable '\(n)'") }
            return .variable(v)
        default:
            throw fail(position < tokens.count ? "expected a variable or a quoted string" : "unexpected end")
        }
    }
}
