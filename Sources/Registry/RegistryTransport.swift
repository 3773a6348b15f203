import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import OCI

/// Sends requests to registries: finds each registry's endpoint (HTTPS, or plain HTTP where
/// allowed), authorizes requests, retries transient failures of replayable requests and
/// follows redirects without leaking `Authorization` to other hosts.
public final class RegistryTransport: Sendable {
    public let configuration: RegistryConfiguration
    let credentialSource: (any CredentialSource)?
    let retryPolicy: RetryPolicy
    let logger: Logger
    let pool = HTTPClientPool()
    private let endpoints: EndpointDirectory
    private let authenticators: AuthenticatorDirectory

    public init(
        configuration: RegistryConfiguration = RegistryConfiguration(),
        credentials: (any CredentialSource)? = nil,
        retryPolicy: RetryPolicy = RetryPolicy(),
        logger: Logger = Logger(label: "smimg.registry")
    ) {
        self.configuration = configuration
        self.credentialSource = credentials
        self.retryPolicy = retryPolicy
        self.logger = logger
        let pool = self.pool
        let config = configuration
        let trust: @Sendable (String) -> HTTPClientPool.Trust = { host in Self.trust(for: host, configuration: config) }
        self.endpoints = EndpointDirectory(pool: pool, configuration: configuration, retryPolicy: retryPolicy, logger: logger)
        self.authenticators = AuthenticatorDirectory(
            credentialSource: credentials, tokenClient: TokenClient(pool: pool, trustForHost: trust))
    }

    /// Closes every connection. Call once when done.
    public func shutdown() async {
        await pool.shutdown()
    }

    /// A response and the URL that produced it (after redirects).
    struct Response: Sendable {
        var response: HTTPClientResponse
        var url: String
        var status: UInt { response.status.code }
        func header(_ name: String) -> String? { response.headers.first(name: name) }
    }

    /// Sends a request, handling authorization, transient-failure retries and redirects.
    /// Non-2xx statuses other than 401 and transient ones are returned to the caller.
    func send(_ request: RegistryRequest, registry: String) async throws -> Response {
        let endpoint = try await endpoints.endpoint(for: registry, authenticators: authenticators)
        let authenticator = await authenticators.authenticator(for: registry)
        let policy = request.isReplayable ? retryPolicy : .none
        return try await policy.run(onRetry: { attempt, error in
            self.logger.info("retrying \(request.operation) on \(registry) after attempt \(attempt): \(error)")
        }) { _ in
            var authorization = try await authenticator.authorization(scopes: request.scopes)
            var response = try await perform(request, endpoint: endpoint, registry: registry, authorization: authorization)
            if response.status == 401 {
                let challenge = response.header("WWW-Authenticate")
                let body = try? await ResponseBody.collect(response.response, limit: 64 << 10, operation: request.operation, registry: registry)
                await authenticator.rejected(scopes: request.scopes, challengeHeader: challenge)
                guard request.isReplayable else {
                    // The streamed body is gone; the caller starts over with fresh credentials.
                    throw RegistryError.unavailable(operation: request.operation, registry: registry, status: 401, retryAfter: nil)
                }
                authorization = try await authenticator.authorization(scopes: request.scopes)
                if authorization != nil {
                    response = try await perform(request, endpoint: endpoint, registry: registry, authorization: authorization)
                }
                if response.status == 401 || authorization == nil {
                    let detail = RegistryErrorBody.summary(of: body ?? [])
                    // A token service may issue tokens to anonymous clients that grant nothing
                    // (Docker Hub and Harbor do for private repositories): then a bearer
                    // authorization exists, yet no credentials were ever found.
                    let anonymous = authorization == nil ? true : await authenticator.isAnonymous()
                    throw RegistryError.unauthorized(
                        registry: registry, repository: Self.repository(in: request.scopes),
                        detail: anonymous
                            ? "the registry requires authentication and no credentials were found"
                            : (detail.isEmpty ? "the credentials were rejected" : detail))
                }
            }
            switch response.status {
            case 403:
                let body = try await ResponseBody.collect(response.response, limit: 64 << 10, operation: request.operation, registry: registry)
                let detail = RegistryErrorBody.summary(of: body)
                throw RegistryError.denied(
                    registry: registry, repository: Self.repository(in: request.scopes),
                    detail: detail.isEmpty ? "\(request.operation) is not permitted" : detail)
            case 408, 429, 500, 502, 503, 504:
                let retryAfter = response.header("Retry-After").flatMap(Int.init).map { Duration.seconds($0) }
                await ResponseBody.discard(response.response)
                throw RegistryError.unavailable(
                    operation: request.operation, registry: registry, status: Int(response.status), retryAfter: retryAfter)
            default:
                return response
            }
        }
    }

    private func perform(
        _ request: RegistryRequest, endpoint: Endpoint, registry: String, authorization: String?
    ) async throws -> Response {
        var url = request.target.hasPrefix("http://") || request.target.hasPrefix("https://")
            ? request.target : endpoint.baseURL + request.target
        var method = request.method
        var body = request.body
        for _ in 0..<10 {
            var http = HTTPClientRequest(url: url)
            http.method = method
            http.headers = request.headers
            let sameHost = Self.hostAndPort(of: url) == endpoint.hostAndPort
            if let authorization, sameHost {
                http.headers.replaceOrAdd(name: "Authorization", value: authorization)
            }
            switch body {
            case .none:
                if method == .PUT || method == .POST || method == .PATCH {
                    http.headers.replaceOrAdd(name: "Content-Length", value: "0")
                }
            case .bytes(let bytes):
                http.body = .bytes(bytes)
            case .stream(let chunks, let length):
                http.body = .stream(chunks, length: .known(length))
            }
            let trust = sameHost ? endpoint.trust : Self.trust(for: Self.hostAndPort(of: url), configuration: configuration)
            let client = try await pool.client(for: trust)
            let started = ContinuousClock.now
            let response: HTTPClientResponse
            do {
                response = try await client.execute(http, deadline: .distantFuture, logger: nil)
            } catch {
                logger.debug("\(method) \(Self.redacted(url)) failed: \(TransportFailure.describe(error))")
                // A streamed body that failed its own verification is not a network problem.
                if error is BlobError || error is CancellationError { throw error }
                throw TransportFailure.registryError(error, registry: registry)
            }
            logger.debug("\(method) \(Self.redacted(url)) -> \(response.status.code) (\(ContinuousClock.now - started))")
            let isRedirect = [301, 302, 303, 307, 308].contains(response.status.code)
            guard request.followRedirects, isRedirect, let location = response.headers.first(name: "Location") else {
                return Response(response: response, url: url)
            }
            await ResponseBody.discard(response)
            guard let next = Self.resolve(location, against: url) else {
                throw RegistryError.protocolViolation(registry: registry, detail: "redirect to an unusable location")
            }
            url = next
            if response.status.code == 303 { method = .GET; body = .none }
        }
        throw RegistryError.protocolViolation(registry: registry, detail: "too many redirects for \(request.operation)")
    }

    /// A URL for logs: scheme, host and path only. Query strings of signed storage URLs carry
    /// credentials, so they are never shown.
    static func redacted(_ url: String) -> String {
        guard let query = url.firstIndex(of: "?") else { return url }
        return String(url[..<query]) + "?…"
    }

    static func hostAndPort(of url: String) -> String {
        guard let components = URLComponents(string: url), let host = components.host else { return "" }
        let bracketed = host.contains(":") ? "[\(host)]" : host
        return components.port.map { "\(bracketed):\($0)" } ?? bracketed
    }

    static func resolve(_ location: String, against base: String) -> String? {
        guard let baseURL = URL(string: base), let resolved = URL(string: location, relativeTo: baseURL) else { return nil }
        return resolved.absoluteURL.absoluteString
    }

    static func repository(in scopes: [String]) -> String? {
        guard let first = scopes.first else { return nil }
        let parts = first.split(separator: ":")
        return parts.count >= 2 ? String(parts[1]) : nil
    }

    static func trust(for hostAndPort: String, configuration: RegistryConfiguration) -> HTTPClientPool.Trust {
        let settings = configuration.settings(for: hostAndPort)
        if settings.insecure { return .unverified }
        if let ca = settings.caFile { return .systemAndCAFile(ca) }
        return .system
    }

    /// For tests: how many bearer tokens were fetched for a registry.
    public func tokenFetchCount(registry: String) async -> Int {
        await authenticators.authenticator(for: registry).tokenFetches
    }
}

/// Where a registry is reached: `https://host` or `http://host`, found by pinging `/v2/`.
struct Endpoint: Sendable {
    var baseURL: String
    var hostAndPort: String
    var trust: HTTPClientPool.Trust
}

actor EndpointDirectory {
    private let pool: HTTPClientPool
    private let configuration: RegistryConfiguration
    private let retryPolicy: RetryPolicy
    private let logger: Logger
    private var resolved: [String: Task<Endpoint, any Error>] = [:]

    init(pool: HTTPClientPool, configuration: RegistryConfiguration, retryPolicy: RetryPolicy, logger: Logger) {
        self.pool = pool
        self.configuration = configuration
        self.retryPolicy = retryPolicy
        self.logger = logger
    }

    func endpoint(for registry: String, authenticators: AuthenticatorDirectory) async throws -> Endpoint {
        if let task = resolved[registry] { return try await task.value }
        let task = Task { try await self.ping(registry, authenticators: authenticators) }
        resolved[registry] = task
        do {
            return try await task.value
        } catch {
            resolved[registry] = nil
            throw error
        }
    }

    private func ping(_ registry: String, authenticators: AuthenticatorDirectory) async throws -> Endpoint {
        let settings = configuration.settings(for: registry)
        var location = settings.location ?? registry
        if location == ImageReference.dockerHub { location = "registry-1.docker.io" }
        let trust = RegistryTransport.trust(for: registry, configuration: configuration)
        let authenticator = await authenticators.authenticator(for: registry)
        let retry = retryPolicy
        // Where plain HTTP is allowed it is tried first: a TLS server answers a plain request at
        // once (HTTP 400), while a plain server may never answer a TLS handshake.
        let schemes = configuration.allowsPlainHTTP(registry) ? ["http", "https"] : ["https"]
        var lastError: RegistryError?
        for scheme in schemes {
            let endpoint = Endpoint(baseURL: "\(scheme)://\(location)", hostAndPort: location, trust: trust)
            do {
                let response = try await retry.run { _ in
                    try await self.get(endpoint.baseURL + "/v2/", trust: trust, registry: registry)
                }
                let status = response.status.code
                let challenge = response.headers.first(name: "WWW-Authenticate")
                await ResponseBody.discard(response)
                // 200: open; 401: the challenge tells how to authenticate. Anything else over
                // plain HTTP means the port speaks something else (a TLS server's 400).
                if scheme == "http", status != 200, status != 401 {
                    lastError = .protocolViolation(registry: registry, detail: "\(endpoint.baseURL)/v2/ answered HTTP \(status)")
                    continue
                }
                if status == 401 { await authenticator.received(challengeHeader: challenge) }
                logger.debug("registry \(registry) at \(endpoint.baseURL)")
                return endpoint
            } catch {
                let failure = TransportFailure.registryError(error, registry: registry)
                // A registry that answered, if only with "try later", speaks this scheme.
                if case .unavailable = failure { throw failure }
                lastError = failure
            }
        }
        throw lastError ?? RegistryError.cannotConnect(registry: registry, detail: "no endpoint answered")
    }

    private func get(_ url: String, trust: HTTPClientPool.Trust, registry: String) async throws -> HTTPClientResponse {
        var request = HTTPClientRequest(url: url)
        request.method = .GET
        let client = try await pool.client(for: trust)
        do {
            let response = try await client.execute(request, timeout: .seconds(30))
            if [408, 429, 500, 502, 503, 504].contains(response.status.code) {
                let retryAfter = response.headers.first(name: "Retry-After").flatMap(Int.init).map { Duration.seconds($0) }
                await ResponseBody.discard(response)
                throw RegistryError.unavailable(operation: "ping", registry: registry, status: Int(response.status.code), retryAfter: retryAfter)
            }
            return response
        } catch let error as RegistryError {
            throw error
        } catch {
            throw TransportFailure.registryError(error, registry: registry)
        }
    }
}

actor AuthenticatorDirectory {
    private let credentialSource: (any CredentialSource)?
    private let tokenClient: TokenClient
    private var authenticators: [String: RegistryAuthenticator] = [:]

    init(credentialSource: (any CredentialSource)?, tokenClient: TokenClient) {
        self.credentialSource = credentialSource
        self.tokenClient = tokenClient
    }

    func authenticator(for registry: String) -> RegistryAuthenticator {
        if let existing = authenticators[registry] { return existing }
        let created = RegistryAuthenticator(registry: registry, credentialSource: credentialSource, tokenClient: tokenClient)
        authenticators[registry] = created
        return created
    }
}
