import AsyncHTTPClient
import Foundation
import Testing

@testable import AWS

/// Local HTTP servers stand in for the ECS/EKS container credentials endpoint and EC2 instance
/// metadata; the tests check what our providers send them.
struct ContainerAndInstanceMetadataTests {
    static let document = #"""
        {"Code": "Success", "AccessKeyId": "ASIACONTAINER", "SecretAccessKey": "containerSecret",
         "Token": "containerToken", "Expiration": "2030-05-06T07:08:09Z"}
        """#

    @Test("container credentials: full URI with the authorization token read from its file")
    func containerFullURIWithTokenFile() async throws {
        let files = try SharedFiles()
        defer { files.remove() }
        let tokenFile = try files.write("token", "pod-identity-token\n")
        try await withLocalServer({ request, _ in
            request.uri == "/v1/credentials" && request.header("Authorization") == "pod-identity-token"
                ? .json(Self.document) : .json(#"{"code":"AccessDenied","message":"bad token"}"#, status: 403)
        }) { server in
            try await withHTTPClient { (httpClient: HTTPClient) async throws in
                let provider = ContainerCredentialsProvider(
                    environment: [
                        "AWS_CONTAINER_CREDENTIALS_FULL_URI": server.baseURL + "/v1/credentials",
                        "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE": tokenFile,
                        "AWS_CONTAINER_AUTHORIZATION_TOKEN": "ignored-when-file-is-set",
                    ], httpClient: httpClient)
                let credentials = try await provider.credentials()
                #expect(credentials.accessKeyId == "ASIACONTAINER")
                #expect(credentials.sessionToken == "containerToken")
                #expect(credentials.expiration == ISO8601Timestamp.parse("2030-05-06T07:08:09Z"))
            }
            #expect(server.requests.count == 1)
            #expect(server.requests.first?.header("Authorization") == "pod-identity-token")
        }
    }

    @Test("container credentials: relative URI on the container host, token from the variable")
    func containerRelativeURI() async throws {
        try await withLocalServer({ request, _ in
            request.uri == "/v2/credentials/abc" ? .json(Self.document) : .text("not found", status: 404)
        }) { server in
            try await withHTTPClient { (httpClient: HTTPClient) async throws in
                let provider = ContainerCredentialsProvider(
                    environment: [
                        "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI": "/v2/credentials/abc",
                        "AWS_CONTAINER_AUTHORIZATION_TOKEN": "Basic abc",
                    ], httpClient: httpClient, relativeURIBase: server.baseURL)
                #expect(try await provider.credentials().accessKeyId == "ASIACONTAINER")
            }
            #expect(server.requests.first?.header("Authorization") == "Basic abc")
        }
    }

    @Test("container credentials: a denied request names the endpoint, not the token")
    func containerDeniedIsReported() async throws {
        try await withLocalServer({ _, _ in .json(#"{"code":"AccessDenied","message":"bad token"}"#, status: 403) }) { server in
            try await withHTTPClient { (httpClient: HTTPClient) async throws in
                let provider = ContainerCredentialsProvider(
                    environment: [
                        "AWS_CONTAINER_CREDENTIALS_FULL_URI": server.baseURL + "/creds",
                        "AWS_CONTAINER_AUTHORIZATION_TOKEN": "super-secret-token",
                    ], httpClient: httpClient)
                do {
                    _ = try await provider.credentials()
                    Issue.record("expected a failure")
                } catch let error as CredentialsError {
                    #expect(error.description.contains("HTTP 403"))
                    #expect(error.description.contains("AccessDenied"))
                    #expect(!error.description.contains("super-secret-token"))
                }
            }
        }
    }

    @Test("container credentials: a plain-http full URI to a non-loopback host is refused", arguments: [
        "http://example.com/creds", "http://10.0.0.1/creds", "ftp://127.0.0.1/creds",
    ])
    func containerFullURIMustBeSafe(uri: String) async throws {
        try await withHTTPClient { (httpClient: HTTPClient) async throws in
            let provider = ContainerCredentialsProvider(
                environment: ["AWS_CONTAINER_CREDENTIALS_FULL_URI": uri], httpClient: httpClient)
            await #expect(throws: CredentialsError.containerEndpointNotAllowed(url: uri)) {
                _ = try await provider.credentials()
            }
        }
        #expect(ContainerCredentialsProvider.isAllowedFullURI("http://169.254.170.23/v1/credentials"))
        #expect(ContainerCredentialsProvider.isAllowedFullURI("https://creds.example.com/v1"))
        #expect(ContainerCredentialsProvider.isAllowedFullURI("http://[::1]:8080/x"))
    }

    /// An IMDSv2 double: token on PUT with a TTL header, then role and credentials only with that token.
    static func instanceMetadata(_ request: RecordedRequest, _ index: Int) -> CannedResponse {
        let token = "imds-session-token"
        switch (request.method, request.uri) {
        case ("PUT", "/latest/api/token"):
            guard request.header("X-aws-ec2-metadata-token-ttl-seconds") == "21600" else { return .text("", status: 400) }
            return .text(token)
        case (_, _) where request.header("X-aws-ec2-metadata-token") != token:
            return .text("", status: 401)
        case ("GET", "/latest/meta-data/iam/security-credentials/"):
            return .text("notebook-role\n")
        case ("GET", "/latest/meta-data/iam/security-credentials/notebook-role"):
            return .json(
                #"{"Code":"Success","Type":"AWS-HMAC","AccessKeyId":"ASIAIMDS","SecretAccessKey":"imdsSecret","Token":"imdsToken","Expiration":"2031-01-01T00:00:00Z"}"#
            )
        default:
            return .text("", status: 404)
        }
    }

    @Test("instance metadata: IMDSv2 token requested with a TTL and sent on every metadata request")
    func instanceMetadataUsesSessionToken() async throws {
        try await withLocalServer(Self.instanceMetadata) { server in
            try await withHTTPClient { (httpClient: HTTPClient) async throws in
                let provider = InstanceMetadataCredentialsProvider(
                    environment: ["AWS_EC2_METADATA_SERVICE_ENDPOINT": server.baseURL + "/"], httpClient: httpClient)
                let credentials = try await provider.credentials()
                #expect(credentials.accessKeyId == "ASIAIMDS")
                #expect(credentials.sessionToken == "imdsToken")
            }
            let requests = server.requests
            #expect(requests.map(\.method) == ["PUT", "GET", "GET"])
            #expect(requests.first?.header("X-aws-ec2-metadata-token-ttl-seconds") == "21600")
            #expect(requests.dropFirst().allSatisfy { $0.header("X-aws-ec2-metadata-token") == "imds-session-token" })
        }
    }

    @Test("instance metadata: AWS_EC2_METADATA_DISABLED=true sends nothing")
    func instanceMetadataCanBeDisabled() async throws {
        try await withLocalServer(Self.instanceMetadata) { server in
            try await withHTTPClient { (httpClient: HTTPClient) async throws in
                let provider = InstanceMetadataCredentialsProvider(
                    environment: ["AWS_EC2_METADATA_SERVICE_ENDPOINT": server.baseURL, "AWS_EC2_METADATA_DISABLED": "true"],
                    httpClient: httpClient)
                guard case .notApplicable(let reason) = try await provider.resolve() else {
                    Issue.record("disabled instance metadata should not apply")
                    return
                }
                #expect(reason.contains("AWS_EC2_METADATA_DISABLED"))
            }
            #expect(server.requests.isEmpty)
        }
    }

    @Test("instance metadata: an instance without a role does not apply")
    func instanceWithoutRole() async throws {
        try await withLocalServer({ request, _ in
            request.method == "PUT" ? .text("tok") : .text("", status: 404)
        }) { server in
            try await withHTTPClient { (httpClient: HTTPClient) async throws in
                let provider = InstanceMetadataCredentialsProvider(
                    environment: ["AWS_EC2_METADATA_SERVICE_ENDPOINT": server.baseURL], httpClient: httpClient)
                guard case .notApplicable(let reason) = try await provider.resolve() else {
                    Issue.record("no role should not apply")
                    return
                }
                #expect(reason.contains("no IAM role"))
            }
        }
    }

    @Test("instance metadata: an unreachable endpoint does not apply")
    func unreachableInstanceMetadata() async throws {
        let port = try await MotoServer.freePort()  // nothing listens there
        try await withHTTPClient { (httpClient: HTTPClient) async throws in
            let provider = InstanceMetadataCredentialsProvider(
                environment: ["AWS_EC2_METADATA_SERVICE_ENDPOINT": "http://127.0.0.1:\(port)"], httpClient: httpClient)
            guard case .notApplicable(let reason) = try await provider.resolve() else {
                Issue.record("an unreachable endpoint should not apply")
                return
            }
            #expect(reason.contains("not reachable"))
        }
    }
}
