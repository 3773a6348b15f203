/// `env:` environment variables, as a mapping (`{PATH: /opt/bin, DEBUG: "1"}`) or a list of
/// `NAME=value` strings. Values are literal: no `$VAR` expansion.
public struct EnvStep: Sendable, Hashable {
    /// In the order written.
    public var variables: [EnvironmentVariable]

    public init(variables: [EnvironmentVariable]) {
        self.variables = variables
    }
}

/// `NAME=value`.
public struct EnvironmentVariable: Sendable, Hashable, CustomStringConvertible {
    public var name: String
    public var value: String

    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }

    public var description: String { "\(name)=\(value)" }
}

extension EnvStep: CanonicallyEncodable {
    var canonical: CanonicalValue { .strings(variables.map(\.description)) }
}

extension EnvStep {
    static let expected = "a mapping of NAME: value, or a list of \"NAME=value\""

    static func parse(_ field: Field, in context: RecipeParseContext) -> EnvStep? {
        var variables: [EnvironmentVariable] = []
        var valid = true
        func add(_ name: String, _ value: String, at field: Field) {
            if let problem = problem(withName: name) {
                context.report(field, problem)
                valid = false
            } else if variables.contains(where: { $0.name == name }) {
                context.report(field, "\(name) is set twice in this step")
                valid = false
            } else {
                variables.append(EnvironmentVariable(name: name, value: value))
            }
        }
        switch field.node {
        case .mapping:
            guard let map = MappingFields(field, keys: nil, expected: expected, in: context) else { return nil }
            for entry in map.entries {
                guard case .scalar(let scalar) = entry.value.node, !entry.value.isNull else {
                    entry.value.reportType("a value (\"\" for an empty one)", in: context)
                    valid = false
                    continue
                }
                add(entry.key, scalar.string, at: entry.keyField)
            }
        case .sequence:
            guard let items = field.items(in: context, expected: expected) else { return nil }
            for item in items {
                guard let text = item.nonEmptyString(in: context, expected: "\"NAME=value\"") else {
                    valid = false
                    continue
                }
                guard let equals = text.firstIndex(of: "=") else {
                    context.report(item, "expected \"NAME=value\", got \(Quoted.text(text))", suggestion: "write \(Quoted.text(text + "=")) for an empty value")
                    valid = false
                    continue
                }
                add(String(text[..<equals]), String(text[text.index(after: equals)...]), at: item)
            }
        default:
            field.reportType(expected, in: context)
            return nil
        }
        if valid, variables.isEmpty {
            context.report(field, "sets no variables")
            return nil
        }
        return valid ? EnvStep(variables: variables) : nil
    }

    private static func problem(withName name: String) -> String? {
        if name.isEmpty { return "a variable needs a name" }
        if name.contains("=") { return "variable name \(Quoted.text(name)) contains '='" }
        if name.contains(where: { $0.isWhitespace }) || name.unicodeScalars.contains("\0") {
            return "variable name \(Quoted.text(name)) contains white space or NUL"
        }
        return nil
    }
}
