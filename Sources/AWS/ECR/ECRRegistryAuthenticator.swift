import AsyncHTTPClient
import Foundation
import Logging

/// Registry credentials for Amazon ECR hosts in every partition: recognises
/// `{account}.dkr.ecr[-fips].{region}.{suffix}` (and the dual-stack forms), calls
/// GetAuthorizationToken in that host's region (honouring `AWS_ENDPOINT_URL_ECR`), and returns
/// Basic `AWS` / password.
///
/// Tokens are cached per host until `refreshMargin` (10 minutes) before
/// ``ECRAuthorizationToken/validUntil`` — which applies the past-expiry rule (a token whose
/// `expiresAt` is already past is used for 1 hour) — and never for less than a minute, so
/// there is no refresh loop. One fetch per host is in flight at a time. Non-ECR hosts get nil.
public actor ECRRegistryAuthenticator: RegistryLoginSource {
    let httpClient: HTTPClient
    let credentialsProvider: any CredentialsProvider
    let environment: [String: String]
    let retryPolicy: RetryPolicy
    let refreshMargin: TimeInterval
    let logger: Logger?
    let now: @Sendable () -> Date

    private var cache: [String: (credentials: RegistryLogin, refreshAt: Date)] = [:]
    private var inFlight: [String: Task<(RegistryLogin, Date), any Error>] = [:]

    /// - Parameters:
    ///   - credentials: the AWS credentials to call ECR with (a ``DefaultCredentialsChain`` for
    ///     the chosen profile; one authenticator per profile).
    public init(
        httpClient: HTTPClient, credentials: any CredentialsProvider,
        environment: [String: String] = ProcessInfo.processInfo.environment, retryPolicy: RetryPolicy = .standard,
        refreshMargin: TimeInterval = 600, logger: Logger? = nil, now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.httpClient = httpClient
        credentialsProvider = credentials
        self.environment = environment
        self.retryPolicy = retryPolicy
        self.refreshMargin = refreshMargin
        self.logger = logger
        self.now = now
    }

    /// True for ECR registry hosts.
    public nonisolated func handles(host: String) -> Bool {
        ECRRegistryHost(parsing: host) != nil
    }

    public func credentials(for host: String) async throws -> RegistryLogin? {
        guard let registry = ECRRegistryHost(parsing: host) else { return nil }
        let key = host.lowercased()
        if let entry = cache[key], now() < entry.refreshAt { return entry.credentials }

        let task: Task<(RegistryLogin, Date), any Error>
        if let running = inFlight[key] {
            task = running
        } else {
            let fetch = fetcher()
            task = Task { try await fetch(registry) }
            inFlight[key] = task
        }
        do {
            let (credentials, refreshAt) = try await task.value
            if inFlight[key] == task {
                inFlight[key] = nil
                cache[key] = (credentials, refreshAt)
            }
            return credentials
        } catch {
            if inFlight[key] == task { inFlight[key] = nil }
            throw error
        }
    }

    public func invalidate(host: String) {
        cache[host.lowercased()] = nil
    }

    /// A sendable closure that fetches a token for a registry (runs outside the actor).
    private func fetcher() -> @Sendable (ECRRegistryHost) async throws -> (RegistryLogin, Date) {
        let httpClient = httpClient
        let credentialsProvider = credentialsProvider
        let environment = environment
        let retryPolicy = retryPolicy
        let refreshMargin = refreshMargin
        let logger = logger
        let now = now
        return { registry in
            let client = try ECRClient(
                httpClient: httpClient, region: registry.region, credentials: credentialsProvider,
                environment: environment, retryPolicy: retryPolicy, logger: logger, now: now)
            logger?.debug("ECR token for \(registry.host) from \(client.endpoint.absoluteString) (\(registry.region))")
            let token = try await client.getAuthorizationToken()
            let credentials = RegistryLogin(
                username: token.username, password: token.password, validUntil: token.validUntil)
            let refreshAt = max(token.validUntil.addingTimeInterval(-refreshMargin), token.fetchedAt.addingTimeInterval(60))
            return (credentials, refreshAt)
        }
    }
}
