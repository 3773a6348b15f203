import AsyncHTTPClient
import Foundation
import Testing

@testable import AWS

/// China (aws-cn): requests are signed for cn-northwest-1 and go to the `.amazonaws.com.cn`
/// endpoint, or to the override when one is set.
struct ChinaRegionSigningTests {
    static let credentials = AWSCredentials(accessKeyId: "AKIDCHINA", secretAccessKey: "chinaSecret")

    @Test("ECR requests for cn-northwest-1 target api.ecr.cn-northwest-1.amazonaws.com.cn with a cn-northwest-1 scope")
    func defaultChinaEndpointAndScope() async throws {
        try await withHTTPClient { (httpClient: HTTPClient) async throws in
            let client = try ECRClient(
                httpClient: httpClient, region: "cn-northwest-1", credentials: StaticCredentialsProvider(Self.credentials),
                environment: [:])
            #expect(client.endpoint.absoluteString == "https://api.ecr.cn-northwest-1.amazonaws.com.cn")
            let date = ISO8601Timestamp.parse("2026-02-03T04:05:06Z")!
            let request = client.signedRequest(action: "GetAuthorizationToken", body: Array("{}".utf8), credentials: Self.credentials, at: date)
            #expect(request.header("Host") == "api.ecr.cn-northwest-1.amazonaws.com.cn")
            #expect(request.header("Authorization")?.hasPrefix("AWS4-HMAC-SHA256 Credential=AKIDCHINA/20260203/cn-northwest-1/ecr/aws4_request, ") == true)
        }
    }

    @Test("through AWS_ENDPOINT_URL_ECR the request reaches the override, still signed for cn-northwest-1")
    func overrideKeepsChinaScope() async throws {
        try await withLocalServer({ _, _ in
            .json(#"{"authorizationData":[{"authorizationToken":"QVdTOnBhc3N3b3Jk","expiresAt":4102444800,"proxyEndpoint":"https://123456789012.dkr.ecr.cn-northwest-1.amazonaws.com.cn"}]}"#)
        }) { server in
            try await withHTTPClient { (httpClient: HTTPClient) async throws in
                let authenticator = ECRRegistryAuthenticator(
                    httpClient: httpClient, credentials: StaticCredentialsProvider(Self.credentials),
                    environment: ["AWS_ENDPOINT_URL_ECR": server.baseURL])
                let credentials = try await authenticator.credentials(for: "123456789012.dkr.ecr.cn-northwest-1.amazonaws.com.cn")
                #expect(credentials?.username == "AWS")
                #expect(credentials?.password == "password")
            }
            let request = try #require(server.requests.first)
            #expect(request.header("Host") == "127.0.0.1:\(server.port)")
            let authorization = try #require(request.header("Authorization"))
            #expect(authorization.contains("Credential=AKIDCHINA/"))
            #expect(authorization.contains("/cn-northwest-1/ecr/aws4_request"))
        }
    }
}
