import Foundation

/// A set of AWS credentials: an access key pair, an optional session token and, for temporary
/// credentials, the time they expire.
///
/// The secret access key and the session token never appear in `description`,
/// `debugDescription`, `dump()` or string interpolation: only the last four characters of the
/// access key id are shown, as the AWS CLI does.
public struct AWSCredentials: Sendable, Equatable {
    public var accessKeyId: String
    public var secretAccessKey: String
    public var sessionToken: String?
    /// When temporary credentials stop working; nil for long-term keys.
    public var expiration: Date?

    public init(accessKeyId: String, secretAccessKey: String, sessionToken: String? = nil, expiration: Date? = nil) {
        self.accessKeyId = accessKeyId
        self.secretAccessKey = secretAccessKey
        self.sessionToken = sessionToken
        self.expiration = expiration
    }

    /// True when the credentials expire within `interval` of `date`.
    public func expires(within interval: TimeInterval, of date: Date) -> Bool {
        guard let expiration else { return false }
        return expiration.timeIntervalSince(date) <= interval
    }

    /// The access key id with all but the last four characters masked (`****************ABCD`).
    public var maskedAccessKeyId: String {
        guard accessKeyId.count > 4 else { return String(repeating: "*", count: accessKeyId.count) }
        return String(repeating: "*", count: accessKeyId.count - 4) + accessKeyId.suffix(4)
    }
}

extension AWSCredentials: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public var description: String {
        var parts = ["accessKeyId: \(maskedAccessKeyId)", "secretAccessKey: <redacted>"]
        parts.append("sessionToken: \(sessionToken == nil ? "none" : "<redacted>")")
        if let expiration {
            parts.append("expiration: \(ISO8601Timestamp.format(expiration))")
        }
        return "AWSCredentials(\(parts.joined(separator: ", ")))"
    }

    public var debugDescription: String { description }

    public var customMirror: Mirror {
        Mirror(self, children: [
            "accessKeyId": maskedAccessKeyId,
            "secretAccessKey": "<redacted>",
            "sessionToken": sessionToken == nil ? "none" : "<redacted>",
            "expiration": expiration.map(ISO8601Timestamp.format) ?? "none",
        ], displayStyle: .struct)
    }
}
