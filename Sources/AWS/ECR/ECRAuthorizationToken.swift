import Foundation

/// A decoded ECR authorization token: the Basic credentials (`AWS` / password) for the
/// registry, and how long to use them.
///
/// **Expiry rule.** ECR tokens last 12 hours. When `expiresAt` is missing or not after the
/// time the token was fetched (moto answers 2015-01-01), the token is treated as valid for
/// ``fallbackLifetime`` (1 hour) from the fetch, so callers never loop refreshing a token that
/// always looks expired. If the registry rejects it earlier, `invalidate` and fetch again.
public struct ECRAuthorizationToken: Sendable, Equatable {
    public static let fallbackLifetime: TimeInterval = 3600

    public let username: String
    public let password: String
    public let proxyEndpoint: String?
    /// As ECR sent it.
    public let expiresAt: Date?
    public let fetchedAt: Date

    /// Decodes `base64("AWS:<password>")`.
    public init(authorizationData: ECR.AuthorizationData, fetchedAt: Date) throws(ECRError) {
        guard let encoded = authorizationData.authorizationToken, !encoded.isEmpty else {
            throw .invalidResponse(action: "GetAuthorizationToken", reason: "authorizationToken is missing")
        }
        guard let decoded = Data(base64Encoded: encoded).flatMap({ String(data: $0, encoding: .utf8) }),
            let colon = decoded.firstIndex(of: ":")
        else {
            throw .invalidResponse(
                action: "GetAuthorizationToken", reason: "authorizationToken is not base64 of user:password")
        }
        username = String(decoded[..<colon])
        password = String(decoded[decoded.index(after: colon)...])
        proxyEndpoint = authorizationData.proxyEndpoint
        expiresAt = authorizationData.expiresAt
        self.fetchedAt = fetchedAt
    }

    /// When to stop using the token (see the expiry rule above).
    public var validUntil: Date {
        if let expiresAt, expiresAt > fetchedAt { return expiresAt }
        return fetchedAt.addingTimeInterval(Self.fallbackLifetime)
    }
}

extension ECRAuthorizationToken: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public var description: String {
        "ECRAuthorizationToken(username: \(username), password: <redacted>, proxyEndpoint: \(proxyEndpoint ?? "none"), validUntil: \(ISO8601Timestamp.format(validUntil)))"
    }
    public var debugDescription: String { description }
    public var customMirror: Mirror {
        Mirror(self, children: [
            "username": username, "password": "<redacted>", "proxyEndpoint": proxyEndpoint as Any,
            "validUntil": validUntil,
        ], displayStyle: .struct)
    }
}
