/// `entrypoint:` or `cmd:`. A string is the shell form, run as `/bin/sh -c STRING` as docker
/// does; a list is the exec form, run as is; an empty list clears the value.
public struct CommandStep: Sendable, Hashable {
    public enum Form: Sendable, Hashable, CustomStringConvertible {
        case shell(String)
        case exec([String])

        /// What goes into the image configuration.
        public var arguments: [String] {
            switch self {
            case .shell(let command): return ["/bin/sh", "-c", command]
            case .exec(let arguments): return arguments
            }
        }

        public var description: String {
            switch self {
            case .shell(let command): return command
            case .exec(let arguments): return "[" + arguments.map { Quoted.text($0) }.joined(separator: ", ") + "]"
            }
        }
    }

    public var form: Form

    public init(form: Form) {
        self.form = form
    }

    public var arguments: [String] { form.arguments }
}

extension CommandStep: CanonicallyEncodable {
    var canonical: CanonicalValue {
        switch form {
        case .shell(let command): return .object(["shell": .string(command)])
        case .exec(let arguments): return .object(["exec": .strings(arguments)])
        }
    }
}

extension CommandStep {
    static let expected = "a command string (shell form) or a list of arguments (exec form)"

    static func parse(_ field: Field, in context: RecipeParseContext) -> CommandStep? {
        switch field.node {
        case .sequence:
            guard let items = field.items(in: context, expected: expected) else { return nil }
            var arguments: [String] = []
            for item in items {
                guard let argument = item.string(in: context, expected: "an argument string") else { return nil }
                arguments.append(argument)
            }
            return CommandStep(form: .exec(arguments))
        default:
            guard let command = field.nonEmptyString(in: context, expected: expected) else { return nil }
            return CommandStep(form: .shell(command))
        }
    }
}
