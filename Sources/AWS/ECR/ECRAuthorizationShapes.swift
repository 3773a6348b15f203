import Foundation

extension ECR {
    public struct GetAuthorizationTokenInput: Codable, Hashable, Sendable {
        /// Deprecated by AWS: the token works for every registry the principal may access.
        public var registryIds: [String]?
        public init(registryIds: [String]? = nil) { self.registryIds = registryIds }
    }

    public struct AuthorizationData: Codable, Hashable, Sendable, CustomStringConvertible {
        /// base64 of `AWS:<password>` (a secret: never printed).
        public var authorizationToken: String?
        public var expiresAt: Date?
        public var proxyEndpoint: String?

        public var description: String {
            "AuthorizationData(proxyEndpoint: \(proxyEndpoint ?? "none"), expiresAt: \(expiresAt.map(ISO8601Timestamp.format) ?? "none"), authorizationToken: <redacted>)"
        }
    }

    public struct GetAuthorizationTokenOutput: Codable, Hashable, Sendable {
        public var authorizationData: [AuthorizationData]?
    }
}

extension ECR.AuthorizationData: CustomDebugStringConvertible, CustomReflectable {
    public var debugDescription: String { description }
    public var customMirror: Mirror {
        Mirror(self, children: [
            "authorizationToken": "<redacted>", "expiresAt": expiresAt as Any, "proxyEndpoint": proxyEndpoint as Any,
        ], displayStyle: .struct)
    }
}
