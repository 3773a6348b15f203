/// Something that produces AWS credentials.
public protocol CredentialsProvider: Sendable {
    func credentials() async throws -> AWSCredentials
}

/// The outcome of asking one source of a credentials chain.
public enum CredentialResolution: Sendable {
    case resolved(AWSCredentials)
    /// The source is not set up here; the reason goes into the chain's "tried" list.
    case notApplicable(reason: String)
}

/// A credentials provider that may not apply in this environment (environment variables,
/// a profile, the container endpoint, instance metadata…). A chain asks each in turn.
public protocol CredentialsChainMember: CredentialsProvider {
    /// Short name for messages, e.g. "environment variables".
    var sourceName: String { get }
    /// Credentials, `.notApplicable` when the source is not set up, or an error when it is set
    /// up but fails.
    func resolve() async throws -> CredentialResolution
}

extension CredentialsChainMember {
    public func credentials() async throws -> AWSCredentials {
        switch try await resolve() {
        case .resolved(let credentials):
            return credentials
        case .notApplicable(let reason):
            throw CredentialsError.noCredentials(tried: ["\(sourceName): \(reason)"])
        }
    }
}

/// Fixed credentials.
public struct StaticCredentialsProvider: CredentialsProvider {
    let value: AWSCredentials

    public init(_ credentials: AWSCredentials) {
        value = credentials
    }

    public func credentials() async throws -> AWSCredentials { value }
}
