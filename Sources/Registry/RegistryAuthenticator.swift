import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// Authorization for one registry: remembers its challenge (Basic or Bearer), fetches bearer
/// tokens from its token service and caches them per scope set until they expire.
actor RegistryAuthenticator {
    let registry: String
    private let credentialSource: (any CredentialSource)?
    private let tokenClient: TokenClient
    private var challenge: AuthChallenge?
    /// The `scope` of the 401 challenge that answered a request, per that request's scope set:
    /// the token fetched again for that set asks for it too, tokens for other requests do not.
    private var rejectedScopes: [String: [String]] = [:]
    private var tokens: [String: CachedToken] = [:]
    private var pending: [String: Task<CachedToken, any Error>] = [:]
    /// How many tokens were fetched (tests check that tokens are reused).
    private(set) var tokenFetches = 0

    struct CachedToken: Sendable {
        var value: String
        var expires: ContinuousClock.Instant
    }

    init(registry: String, credentialSource: (any CredentialSource)?, tokenClient: TokenClient) {
        self.registry = registry
        self.credentialSource = credentialSource
        self.tokenClient = tokenClient
    }

    /// Records the challenge a registry sent (from the `/v2/` ping or a 401).
    func received(challengeHeader: String?) {
        guard let header = challengeHeader, let parsed = AuthChallenge(header: header) else { return }
        challenge = parsed
    }

    var hasChallenge: Bool { challenge != nil }

    /// Whether requests to this registry go without credentials because none were found.
    func isAnonymous() async -> Bool {
        guard let credentialSource else { return true }
        return (try? await credentialSource.credentials(for: registry)) == nil
    }

    /// The `Authorization` value for a request needing `scopes`, or nil for anonymous access.
    func authorization(scopes: [String]) async throws -> String? {
        guard let challenge else { return nil }
        switch challenge.scheme {
        case .basic:
            guard let credentials = try await credentialSource?.credentials(for: registry) else { return nil }
            return credentials.basicAuthorization
        case .bearer:
            let key = Self.key(scopes)
            if let cached = tokens[key], cached.expires > .now { return "Bearer \(cached.value)" }
            if let inFlight = pending[key] { return "Bearer \(try await inFlight.value.value)" }
            let task = Task { try await self.fetchToken(challenge: challenge, scopes: scopes) }
            pending[key] = task
            defer { pending[key] = nil }
            let token = try await task.value
            tokens[key] = token
            return "Bearer \(token.value)"
        }
    }

    /// The registry answered 401: forget what was used so the next attempt starts fresh.
    /// The challenge's realm and service replace the known ones; its scope concerns this
    /// request only (distribution names the request's repository there), so it must not be
    /// added to the token requests of every later request, for other repositories too.
    func rejected(scopes: [String], challengeHeader: String?) async {
        let key = Self.key(scopes)
        tokens[key] = nil
        if let header = challengeHeader, var parsed = AuthChallenge(header: header) {
            rejectedScopes[key] = parsed.scope.map { $0.split(separator: " ").map(String.init) }
            parsed.parameters["scope"] = challenge?.scope
            challenge = parsed
        }
        await credentialSource?.invalidate(registry: registry)
    }

    private func fetchToken(challenge: AuthChallenge, scopes: [String]) async throws -> CachedToken {
        guard let realm = challenge.realm, let realmURL = URL(string: realm), realmURL.host != nil else {
            throw RegistryError.protocolViolation(registry: registry, detail: "bearer challenge without a usable realm")
        }
        var wanted = scopes + (rejectedScopes[Self.key(scopes)] ?? [])
        if let extra = challenge.scope { wanted.append(contentsOf: extra.split(separator: " ").map(String.init)) }
        let credentials = try await credentialSource?.credentials(for: registry)
        tokenFetches += 1
        let token = try await tokenClient.fetch(
            realm: realmURL, service: challenge.service, scopes: Array(Set(wanted)).sorted(),
            credentials: credentials, registry: registry)
        return token
    }

    private static func key(_ scopes: [String]) -> String { scopes.sorted().joined(separator: " ") }
}

/// Talks to a registry's token service (the Docker token protocol and its OAuth2 form).
struct TokenClient: Sendable {
    let pool: HTTPClientPool
    let trustForHost: @Sendable (String) -> HTTPClientPool.Trust

    struct TokenResponse: Decodable {
        var token: String?
        var access_token: String?
        var expires_in: Int?
    }

    func fetch(
        realm: URL, service: String?, scopes: [String], credentials: RegistryCredentials?, registry: String
    ) async throws -> RegistryAuthenticator.CachedToken {
        var request: HTTPClientRequest
        var query: [(String, String)] = []
        if let service { query.append(("service", service)) }
        if let identityToken = credentials?.identityToken {
            // OAuth2 refresh-token grant, as docker does with an identity token.
            request = HTTPClientRequest(url: realm.absoluteString)
            request.method = .POST
            var form = query + [("grant_type", "refresh_token"), ("client_id", "smimg"), ("refresh_token", identityToken)]
            form += scopes.map { ("scope", $0) }
            request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
            request.body = .bytes(ByteBuffer(string: Self.formEncode(form)))
        } else {
            query += scopes.map { ("scope", $0) }
            var components = URLComponents(url: realm, resolvingAgainstBaseURL: false)
            let existing = (components?.queryItems ?? []).map { ($0.name, $0.value ?? "") }
            components?.percentEncodedQuery = Self.formEncode(existing + query)
            request = HTTPClientRequest(url: components?.url?.absoluteString ?? realm.absoluteString)
            request.method = .GET
            if let credentials { request.headers.add(name: "Authorization", value: credentials.basicAuthorization) }
        }
        let host = realm.host ?? ""
        let client = try await pool.client(for: trustForHost(host + (realm.port.map { ":\($0)" } ?? "")))
        let response: HTTPClientResponse
        do {
            response = try await client.execute(request, timeout: .seconds(60))
        } catch {
            throw RegistryError.cannotConnect(registry: "\(registry) token service \(host)", detail: TransportFailure.describe(error))
        }
        let body = try await ResponseBody.collect(response, limit: 1 << 20, operation: "token request", registry: registry)
        switch response.status.code {
        case 200:
            break
        case 401, 403:
            throw RegistryError.unauthorized(
                registry: registry, repository: nil,
                detail: credentials == nil
                    ? "the token service requires authentication and no credentials were found"
                    : "the token service rejected the credentials (HTTP \(response.status.code))")
        case 429, 500...599:
            throw RegistryError.unavailable(operation: "token request", registry: registry, status: Int(response.status.code), retryAfter: nil)
        default:
            throw RegistryError.unexpectedStatus(
                operation: "token request", registry: registry, status: Int(response.status.code),
                detail: RegistryErrorBody.summary(of: body))
        }
        guard let decoded = try? JSONDecoder().decode(TokenResponse.self, from: Data(body)),
              let value = decoded.token ?? decoded.access_token, !value.isEmpty
        else {
            throw RegistryError.protocolViolation(registry: registry, detail: "the token service's answer has no token")
        }
        // Tokens live 60 s unless said otherwise; renew 10 s early so none expires in flight.
        let lifetime = max(decoded.expires_in ?? 60, 60)
        return .init(value: value, expires: .now + .seconds(lifetime - 10))
    }

    static func formEncode(_ pairs: [(String, String)]) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        func encode(_ text: String) -> String {
            text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
        }
        return pairs.map { "\(encode($0.0))=\(encode($0.1))" }.joined(separator: "&")
    }
}
