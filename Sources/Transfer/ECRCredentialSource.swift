import AWS
import Registry

/// Registry credentials for Amazon ECR hosts, from ECR's GetAuthorizationToken: lets the
/// registry client push to and pull from ECR in any partition without `docker login`.
/// Hosts that are not ECR get nil, so other sources (docker config, flags) answer for them.
public struct ECRCredentialSource: CredentialSource {
    let authenticator: ECRRegistryAuthenticator

    public init(authenticator: ECRRegistryAuthenticator) {
        self.authenticator = authenticator
    }

    public func credentials(for registry: String) async throws -> RegistryCredentials? {
        guard let login = try await authenticator.credentials(for: registry) else { return nil }
        return RegistryCredentials(username: login.username, password: login.password)
    }

    /// After a 401 (a token that expired during a long transfer): fetch a new token next time.
    public func invalidate(registry: String) async {
        await authenticator.invalidate(host: registry)
    }
}
