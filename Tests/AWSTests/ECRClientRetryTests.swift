import AsyncHTTPClient
import Foundation
import Testing

@testable import AWS

/// The ECR client against a local server that plays ECR: headers, retries and backoff.
struct ECRClientRetryTests {
    static let credentials = AWSCredentials(accessKeyId: "AKIDTEST", secretAccessKey: "testSecret", sessionToken: "testToken")
    static let fastRetries = RetryPolicy(maxAttempts: 4, baseDelay: 0.01, maxDelay: 0.05)

    func client(_ server: LocalHTTPServer, _ httpClient: HTTPClient, region: String = "us-east-1") throws -> ECRClient {
        try ECRClient(
            httpClient: httpClient, region: region, credentials: StaticCredentialsProvider(Self.credentials),
            environment: ["AWS_ENDPOINT_URL_ECR": server.baseURL], retryPolicy: Self.fastRetries)
    }

    @Test("sends JSON 1.1 with the X-Amz-Target of the action, signed for ecr")
    func sendsJSON11Request() async throws {
        try await withLocalServer({ _, _ in .json(#"{"repositories":[{"repositoryName":"a"}]}"#) }) { server in
            try await withHTTPClient { (httpClient: HTTPClient) async throws in
                let output = try await client(server, httpClient).describeRepositories(.init(repositoryNames: ["a"]))
                #expect(output.repositories?.first?.repositoryName == "a")
            }
            let request = try #require(server.requests.first)
            #expect(request.method == "POST")
            #expect(request.uri == "/")
            #expect(request.header("X-Amz-Target") == "AmazonEC2ContainerRegistry_V20150921.DescribeRepositories")
            #expect(request.header("Content-Type") == "application/x-amz-json-1.1")
            #expect(request.header("X-Amz-Security-Token") == "testToken")
            #expect(request.header("Host") == "127.0.0.1:\(server.port)")
            #expect(request.header("Authorization")?.contains("/us-east-1/ecr/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-security-token;x-amz-target, Signature=") == true)
            #expect(request.bodyText == #"{"repositoryNames":["a"]}"#)
        }
    }

    @Test("throttling is retried with backoff until it succeeds, each attempt signed afresh")
    func throttlingIsRetried() async throws {
        try await withLocalServer({ _, index in
            index < 2
                ? .json(#"{"__type":"ThrottlingException","message":"Rate exceeded"}"#, status: 400)
                : .json(#"{"image":{"imageId":{"imageTag":"v1"}}}"#)
        }) { server in
            try await withHTTPClient { (httpClient: HTTPClient) async throws in
                let output = try await client(server, httpClient).putImage(.init(repositoryName: "r", imageManifest: "{}", imageTag: "v1"))
                #expect(output.image?.imageId?.imageTag == "v1")
            }
            #expect(server.requests.count == 3)
        }
    }

    @Test("throttling that never stops ends after the bounded number of attempts")
    func throttlingIsBounded() async throws {
        try await withLocalServer({ _, _ in .json(#"{"__type":"ThrottlingException","message":"Rate exceeded"}"#, status: 400) }) { server in
            try await withHTTPClient { (httpClient: HTTPClient) async throws in
                await #expect(throws: ECRError.throttled(action: "PutImage", attempts: 4, message: "ThrottlingException: Rate exceeded")) {
                    _ = try await client(server, httpClient).putImage(.init(repositoryName: "r", imageManifest: "{}"))
                }
            }
            #expect(server.requests.count == 4)
        }
    }

    @Test("5xx answers are retried; client errors are not")
    func serverErrorsRetriedClientErrorsNot() async throws {
        try await withLocalServer({ _, index in
            index == 0 ? .json(#"{"__type":"ServerException","message":"try again"}"#, status: 500) : .json(#"{"imageDetails":[]}"#)
        }) { server in
            try await withHTTPClient { (httpClient: HTTPClient) async throws in
                _ = try await client(server, httpClient).describeImages(.init(repositoryName: "r"))
            }
            #expect(server.requests.count == 2)
        }
        try await withLocalServer({ _, _ in
            .json(#"{"__type":"RepositoryNotFoundException","message":"The repository with name 'r' does not exist"}"#, status: 400)
        }) { server in
            try await withHTTPClient { (httpClient: HTTPClient) async throws in
                await #expect(throws: ECRError.repositoryNotFound(action: "DescribeImages", message: "The repository with name 'r' does not exist")) {
                    _ = try await client(server, httpClient).describeImages(.init(repositoryName: "r"))
                }
            }
            #expect(server.requests.count == 1)
        }
    }

    @Test("BatchCheckLayerAvailability from a test double of ECR, and its absence reported as unsupported")
    func batchCheckLayerAvailability() async throws {
        try await withLocalServer({ request, _ in
            guard request.header("X-Amz-Target")?.hasSuffix(".BatchCheckLayerAvailability") == true,
                request.bodyText.contains("sha256:aa")
            else { return .json(#"{"__type":"InvalidParameterException","message":"unexpected"}"#, status: 400) }
            return .json(
                #"{"layers":[{"layerDigest":"sha256:aa","layerAvailability":"AVAILABLE","layerSize":3},{"layerDigest":"sha256:bb","layerAvailability":"UNAVAILABLE"}],"failures":[]}"#)
        }) { server in
            try await withHTTPClient { (httpClient: HTTPClient) async throws in
                let output = try await client(server, httpClient).batchCheckLayerAvailability(
                    .init(repositoryName: "r", layerDigests: ["sha256:aa", "sha256:bb"]))
                #expect(output.availableDigests == ["sha256:aa"])
            }
        }
        try await withLocalServer({ _, _ in .text("<!doctype html><title>500 Internal Server Error</title>", status: 500, contentType: "text/html") }) { server in
            try await withHTTPClient { (httpClient: HTTPClient) async throws in
                do {
                    _ = try await client(server, httpClient).batchCheckLayerAvailability(.init(repositoryName: "r", layerDigests: ["sha256:aa"]))
                    Issue.record("expected unsupported")
                } catch let error as ECRError {
                    guard case .unsupportedOperation(let action, _) = error else {
                        Issue.record("expected unsupported, got \(error)")
                        return
                    }
                    #expect(action == "BatchCheckLayerAvailability")
                }
            }
            #expect(server.requests.count == 1)
        }
    }

    @Test("an unreachable endpoint fails after the bounded retries with a clear message")
    func unreachableEndpoint() async throws {
        let port = try await MotoServer.freePort()
        // AsyncHTTPClient keeps retrying a refused connection until its connect timeout.
        try await withHTTPClient(configuration: .init(timeout: .init(connect: .seconds(1)))) { (httpClient: HTTPClient) async throws in
            let client = try ECRClient(
                httpClient: httpClient, region: "us-east-1", credentials: StaticCredentialsProvider(Self.credentials),
                environment: ["AWS_ENDPOINT_URL_ECR": "http://127.0.0.1:\(port)"], retryPolicy: Self.fastRetries)
            do {
                _ = try await client.getAuthorizationToken()
                Issue.record("expected a transport error")
            } catch let error as ECRError {
                guard case .transport(_, let endpoint, let attempts, _) = error else {
                    Issue.record("expected transport, got \(error)")
                    return
                }
                #expect(endpoint == "http://127.0.0.1:\(port)")
                #expect(attempts == 4)
            }
        }
    }
}
