/// What is wrong with a mirror configuration, located (file:line:column: field) when it comes
/// from a file.
public enum MirrorConfigurationError: Error, CustomStringConvertible, Equatable {
    case invalidRange(String, String)
    case invalidPattern(String)
    case invalidValue(field: String, String)
    case located(file: String, line: Int, column: Int, field: String, message: String)
    case unreadable(path: String, reason: String)

    public var description: String {
        switch self {
        case .invalidRange(let text, let reason):
            return "invalid version range '\(text)': \(reason) (write e.g. '>=2.1, <2.3' or '2.1.x')"
        case .invalidPattern(let pattern):
            return "invalid regular expression '\(pattern)'"
        case .invalidValue(let field, let message):
            return "\(field): \(message)"
        case .located(let file, let line, let column, let field, let message):
            return "\(file):\(line):\(column): \(field): \(message)"
        case .unreadable(let path, let reason):
            return "cannot read mirror configuration \(path): \(reason)"
        }
    }
}
