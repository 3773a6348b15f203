import Foundation

/// A user name and secret for one registry. Its descriptions never show the secret.
public struct RegistryCredentials: Hashable, Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    public var username: String
    public var password: String
    /// An OAuth2 refresh token (docker's `identitytoken`), used instead of the password when set.
    public var identityToken: String?

    public init(username: String, password: String, identityToken: String? = nil) {
        self.username = username
        self.password = password
        self.identityToken = identityToken
    }

    /// Parses `user:password` as given on the command line.
    public init(parsing text: String) throws(CredentialError) {
        guard let colon = text.firstIndex(of: ":"), colon != text.startIndex else {
            throw CredentialError.malformedCredentials
        }
        self.init(username: String(text[..<colon]), password: String(text[text.index(after: colon)...]))
    }

    var basicAuthorization: String {
        "Basic " + Data("\(username):\(password)".utf8).base64EncodedString()
    }

    public var description: String { "credentials for user '\(username)' (secret hidden)" }
    public var debugDescription: String { description }
}

/// Where credentials for a registry come from: docker's config, command-line flags, ECR.
public protocol CredentialSource: Sendable {
    /// Credentials for a registry host, or nil to go anonymous.
    func credentials(for registry: String) async throws -> RegistryCredentials?
    /// Called when the registry rejected the credentials, so a source with expiring tokens
    /// (ECR) can fetch new ones. The default does nothing.
    func invalidate(registry: String) async
}

extension CredentialSource {
    public func invalidate(registry: String) async {}
}

/// Fixed credentials for one registry, as given by `--creds user:password`.
public struct StaticCredentialSource: CredentialSource {
    let registry: String?
    let credentials: RegistryCredentials

    /// `registry` nil applies the credentials to any registry asked about.
    public init(registry: String?, credentials: RegistryCredentials) {
        self.registry = registry
        self.credentials = credentials
    }

    public func credentials(for registry: String) async throws -> RegistryCredentials? {
        guard self.registry == nil || self.registry == registry else { return nil }
        return credentials
    }
}

/// Tries sources in order; the first with an answer wins.
public struct ChainedCredentialSource: CredentialSource {
    let sources: [any CredentialSource]

    public init(_ sources: [any CredentialSource]) {
        self.sources = sources
    }

    public func credentials(for registry: String) async throws -> RegistryCredentials? {
        for source in sources {
            if let found = try await source.credentials(for: registry) { return found }
        }
        return nil
    }

    public func invalidate(registry: String) async {
        for source in sources { await source.invalidate(registry: registry) }
    }
}

public enum CredentialError: Error, CustomStringConvertible {
    case malformedCredentials
    case unreadableConfig(String, String)
    case helperFailed(helper: String, registry: String, detail: String)

    public var description: String {
        switch self {
        case .malformedCredentials:
            return "credentials must be given as USER:PASSWORD"
        case .unreadableConfig(let path, let detail):
            return "cannot read docker config \(path): \(detail)"
        case .helperFailed(let helper, let registry, let detail):
            return "credential helper docker-credential-\(helper) failed for \(registry): \(detail)"
        }
    }
}
