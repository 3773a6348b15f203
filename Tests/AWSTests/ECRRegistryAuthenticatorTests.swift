import AsyncHTTPClient
import Foundation
import Testing

@testable import AWS

struct ECRRegistryAuthenticatorTests {
    static let credentials = AWSCredentials(accessKeyId: "AKIDAUTH", secretAccessKey: "authSecret")

    /// An ECR double answering GetAuthorizationToken with password `pw<n>` and the given expiry.
    static func tokenServer(expiresAt: @escaping @Sendable () -> Double) -> LocalHTTPServer.Responder {
        { request, index in
            guard request.header("X-Amz-Target") == "AmazonEC2ContainerRegistry_V20150921.GetAuthorizationToken" else {
                return .json(#"{"__type":"UnknownOperationException"}"#, status: 400)
            }
            let token = Data("AWS:pw\(index + 1)".utf8).base64EncodedString()
            return .json(#"{"authorizationData":[{"authorizationToken":"\#(token)","expiresAt":\#(expiresAt()),"proxyEndpoint":"https://x"}]}"#)
        }
    }

    func authenticator(_ server: LocalHTTPServer, _ httpClient: HTTPClient, clock: TestClock) -> ECRRegistryAuthenticator {
        ECRRegistryAuthenticator(
            httpClient: httpClient, credentials: StaticCredentialsProvider(Self.credentials),
            environment: ["AWS_ENDPOINT_URL_ECR": server.baseURL], retryPolicy: .none, now: clock.function)
    }

    @Test("hosts that are not ECR get no credentials and cause no request")
    func nonECRHostsAreIgnored() async throws {
        let clock = TestClock()
        try await withLocalServer(Self.tokenServer { 4_102_444_800 }) { server in
            try await withHTTPClient { (httpClient: HTTPClient) async throws in
                let authenticator = authenticator(server, httpClient, clock: clock)
                #expect(try await authenticator.credentials(for: "registry-1.docker.io") == nil)
                #expect(try await authenticator.credentials(for: "127.0.0.1:5000") == nil)
                #expect(!authenticator.handles(host: "ghcr.io"))
                #expect(authenticator.handles(host: "123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn"))
            }
            #expect(server.requests.isEmpty)
        }
    }

    @Test("a token with a past expiry is used for an hour less the margin, then fetched again: no loop")
    func pastExpiryIsCachedForAnHour() async throws {
        let clock = TestClock()
        try await withLocalServer(Self.tokenServer { 1_420_070_400 }) { server in
            try await withHTTPClient { (httpClient: HTTPClient) async throws in
                let authenticator = authenticator(server, httpClient, clock: clock)
                let host = "123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn"
                let first = try #require(try await authenticator.credentials(for: host))
                #expect(first.username == "AWS")
                #expect(first.password == "pw1")
                #expect(first.validUntil == clock.now.addingTimeInterval(3600))
                for _ in 0..<5 { #expect(try await authenticator.credentials(for: host)?.password == "pw1") }
                clock.advance(by: 49 * 60)
                #expect(try await authenticator.credentials(for: host)?.password == "pw1")
                clock.advance(by: 2 * 60)
                #expect(try await authenticator.credentials(for: host)?.password == "pw2")
            }
            #expect(server.requests.count == 2)
        }
    }

    @Test("a 12-hour token is refreshed ten minutes before it expires")
    func twelveHourTokenRefreshedTenMinutesEarly() async throws {
        let clock = TestClock()
        let expiry = clock.now.addingTimeInterval(12 * 3600).timeIntervalSince1970
        try await withLocalServer(Self.tokenServer { expiry }) { server in
            try await withHTTPClient { (httpClient: HTTPClient) async throws in
                let authenticator = authenticator(server, httpClient, clock: clock)
                let host = "123456789012.dkr.ecr.us-west-2.amazonaws.com"
                #expect(try await authenticator.credentials(for: host)?.password == "pw1")
                clock.advance(by: 12 * 3600 - 601)
                #expect(try await authenticator.credentials(for: host)?.password == "pw1")
                clock.advance(by: 2)
                #expect(try await authenticator.credentials(for: host)?.password == "pw2")
            }
        }
    }

    @Test("invalidate(host:) after a 401 makes the next call fetch a new token")
    func invalidateRefetches() async throws {
        let clock = TestClock()
        try await withLocalServer(Self.tokenServer { 4_102_444_800 }) { server in
            try await withHTTPClient { (httpClient: HTTPClient) async throws in
                let authenticator = authenticator(server, httpClient, clock: clock)
                let host = "123456789012.dkr.ecr.eu-west-1.amazonaws.com"
                #expect(try await authenticator.credentials(for: host)?.password == "pw1")
                await authenticator.invalidate(host: host)
                #expect(try await authenticator.credentials(for: host)?.password == "pw2")
                #expect(try await authenticator.credentials(for: host)?.password == "pw2")
            }
            #expect(server.requests.count == 2)
        }
    }

    @Test("concurrent requests for one host share one GetAuthorizationToken call")
    func concurrentRequestsShareOneFetch() async throws {
        let clock = TestClock()
        try await withLocalServer(Self.tokenServer { 4_102_444_800 }) { server in
            try await withHTTPClient { (httpClient: HTTPClient) async throws in
                let authenticator = authenticator(server, httpClient, clock: clock)
                let passwords = try await withThrowingTaskGroup(of: String?.self) { group in
                    for _ in 0..<16 {
                        group.addTask { try await authenticator.credentials(for: "123456789012.dkr.ecr.us-east-1.amazonaws.com")?.password }
                    }
                    return try await group.reduce(into: [String?]()) { $0.append($1) }
                }
                #expect(Set(passwords) == ["pw1"])
            }
            #expect(server.requests.count == 1)
        }
    }

    @Test("each host's token is fetched in that host's region")
    func tokenFetchedInHostRegion() async throws {
        let clock = TestClock()
        try await withLocalServer(Self.tokenServer { 4_102_444_800 }) { server in
            try await withHTTPClient { (httpClient: HTTPClient) async throws in
                let authenticator = authenticator(server, httpClient, clock: clock)
                _ = try await authenticator.credentials(for: "123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn")
                _ = try await authenticator.credentials(for: "123456789012.dkr.ecr-fips.us-gov-west-1.amazonaws.com")
            }
            let scopes = server.requests.compactMap { $0.header("Authorization") }
            #expect(scopes.count == 2)
            #expect(scopes.first?.contains("/cn-north-1/ecr/aws4_request") == true)
            #expect(scopes.last?.contains("/us-gov-west-1/ecr/aws4_request") == true)
        }
    }
}
