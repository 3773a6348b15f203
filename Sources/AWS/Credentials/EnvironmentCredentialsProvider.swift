import Foundation

/// `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, optional `AWS_SESSION_TOKEN` and
/// `AWS_CREDENTIAL_EXPIRATION` (ISO 8601).
public struct EnvironmentCredentialsProvider: CredentialsChainMember {
    let environment: [String: String]

    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.environment = environment
    }

    public var sourceName: String { "environment variables (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY)" }

    public func resolve() async throws -> CredentialResolution {
        let accessKeyId = value("AWS_ACCESS_KEY_ID")
        let secretAccessKey = value("AWS_SECRET_ACCESS_KEY")
        switch (accessKeyId, secretAccessKey) {
        case (nil, nil):
            return .notApplicable(reason: "not set")
        case (nil, _):
            throw CredentialsError.partialEnvironment(missing: "AWS_ACCESS_KEY_ID")
        case (_, nil):
            throw CredentialsError.partialEnvironment(missing: "AWS_SECRET_ACCESS_KEY")
        case (let accessKeyId?, let secretAccessKey?):
            let expiration = value("AWS_CREDENTIAL_EXPIRATION").flatMap(ISO8601Timestamp.parse)
            return .resolved(
                AWSCredentials(
                    accessKeyId: accessKeyId, secretAccessKey: secretAccessKey,
                    sessionToken: value("AWS_SESSION_TOKEN"), expiration: expiration))
        }
    }

    private func value(_ name: String) -> String? {
        guard let value = environment[name]?.trimmingCharacters(in: .whitespacesAndNewlines), !value.isEmpty else {
            return nil
        }
        return value
    }
}
