import Foundation

/// Basic credentials for a registry, with the time to stop using them.
public struct RegistryLogin: Sendable, Equatable {
    public var username: String
    public var password: String
    public var validUntil: Date?

    public init(username: String, password: String, validUntil: Date? = nil) {
        self.username = username
        self.password = password
        self.validUntil = validUntil
    }
}

extension RegistryLogin: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public var description: String {
        "RegistryLogin(username: \(username), password: <redacted>\(validUntil.map { ", validUntil: \(ISO8601Timestamp.format($0))" } ?? ""))"
    }
    public var debugDescription: String { description }
    public var customMirror: Mirror {
        Mirror(self, children: ["username": username, "password": "<redacted>", "validUntil": validUntil as Any], displayStyle: .struct)
    }
}

/// Supplies registry credentials for hosts it knows (ECR), for a registry client to use as
/// Basic auth. The registry client calls `invalidate(host:)` after a 401 and asks again once.
public protocol RegistryLoginSource: Sendable {
    /// Credentials for `host` (`name[:port]`), or nil when this source does not handle the host.
    func credentials(for host: String) async throws -> RegistryLogin?
    /// Forgets cached credentials for `host`.
    func invalidate(host: String) async
}
