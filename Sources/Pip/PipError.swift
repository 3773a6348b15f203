/// What can go wrong installing, uninstalling or resolving wheels. Each message names the wheel,
/// file or requirement and what to do.
public enum PipError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The wheel file is not a usable wheel (no dist-info, bad WHEEL, unreadable zip).
    case badWheel(wheel: String, reason: String)
    /// An entry would land outside the install scheme (absolute path, `..`).
    case unsafePath(wheel: String, path: String)
    /// A file's content does not match the wheel's RECORD.
    case hashMismatch(wheel: String, path: String)
    /// An installed distribution cannot be uninstalled.
    case cannotUninstall(distribution: String, reason: String)
    /// Nothing in the indexes satisfies a requirement for this interpreter.
    case noCompatibleWheel(requirement: String, detail: String)
    /// Two requirements cannot both hold.
    case conflict(String)
    /// An index page or metadata file is unusable.
    case badIndex(url: String, reason: String)

    public var description: String {
        switch self {
        case .badWheel(let wheel, let reason):
            return "\(wheel) is not a usable wheel: \(reason)"
        case .unsafePath(let wheel, let path):
            return "\(wheel) contains '\(path)', which would be written outside the environment; refusing to install it"
        case .hashMismatch(let wheel, let path):
            return "\(wheel): \(path) does not match the hash in the wheel's RECORD; the wheel is corrupt or was tampered with"
        case .cannotUninstall(let distribution, let reason):
            return "cannot uninstall \(distribution): \(reason)"
        case .noCompatibleWheel(let requirement, let detail):
            return "no wheel satisfies \(requirement): \(detail)"
        case .conflict(let text):
            return "conflicting requirements: \(text)"
        case .badIndex(let url, let reason):
            return "\(url): \(reason)"
        }
    }
}
