import AsyncHTTPClient
import Foundation
import Logging
import NIOCore

/// A client for the Amazon ECR API (the control plane): JSON 1.1 protocol, `POST /` with
/// `X-Amz-Target: AmazonEC2ContainerRegistry_V20150921.<Action>`, signed with SigV4 for
/// service `ecr` in the client's region.
///
/// Throttling, 5xx answers and transport failures are retried with exponential backoff and
/// jitter, up to ``RetryPolicy/maxAttempts``; each attempt is signed afresh. The HTTP client is
/// injected and owned by the caller.
public struct ECRClient: Sendable {
    public let region: String
    public let endpoint: URL
    let httpClient: HTTPClient
    let credentialsProvider: any CredentialsProvider
    let retryPolicy: RetryPolicy
    let logger: Logger?
    let now: @Sendable () -> Date

    static let targetPrefix = "AmazonEC2ContainerRegistry_V20150921."
    static let contentType = "application/x-amz-json-1.1"
    static let userAgent = "smimg"

    /// - Parameters:
    ///   - endpoint: an explicit endpoint; nil resolves `AWS_ENDPOINT_URL_ECR`,
    ///     `AWS_ENDPOINT_URL`, then `https://api.ecr.{region}.{partition suffix}`.
    public init(
        httpClient: HTTPClient, region: String, credentials: any CredentialsProvider,
        environment: [String: String] = ProcessInfo.processInfo.environment, endpoint: URL? = nil,
        retryPolicy: RetryPolicy = .standard, logger: Logger? = nil, now: @escaping @Sendable () -> Date = { Date() }
    ) throws(ECRError) {
        if let endpoint {
            self.endpoint = endpoint
        } else {
            do {
                self.endpoint = try AWSEndpointResolver(environment: environment).ecrEndpoint(region: region)
            } catch {
                throw .invalidEndpoint(error)
            }
        }
        self.httpClient = httpClient
        self.region = region
        credentialsProvider = credentials
        self.retryPolicy = retryPolicy
        self.logger = logger
        self.now = now
    }

    // MARK: Actions

    /// The registry login: decodes the first authorization data entry.
    public func getAuthorizationToken(registryIds: [String]? = nil) async throws -> ECRAuthorizationToken {
        let fetchedAt = now()
        let output: ECR.GetAuthorizationTokenOutput = try await send(
            "GetAuthorizationToken", ECR.GetAuthorizationTokenInput(registryIds: registryIds))
        guard let data = output.authorizationData?.first else {
            throw ECRError.invalidResponse(action: "GetAuthorizationToken", reason: "no authorizationData in the answer")
        }
        return try ECRAuthorizationToken(authorizationData: data, fetchedAt: fetchedAt)
    }

    public func describeRepositories(_ input: ECR.DescribeRepositoriesInput) async throws -> ECR.DescribeRepositoriesOutput {
        try await send("DescribeRepositories", input)
    }

    public func createRepository(_ input: ECR.CreateRepositoryInput) async throws -> ECR.CreateRepositoryOutput {
        try await send("CreateRepository", input)
    }

    public func describeImages(_ input: ECR.DescribeImagesInput) async throws -> ECR.DescribeImagesOutput {
        try await send("DescribeImages", input)
    }

    public func batchCheckLayerAvailability(_ input: ECR.BatchCheckLayerAvailabilityInput) async throws
        -> ECR.BatchCheckLayerAvailabilityOutput
    {
        try await send("BatchCheckLayerAvailability", input)
    }

    public func batchDeleteImage(_ input: ECR.BatchDeleteImageInput) async throws -> ECR.BatchDeleteImageOutput {
        try await send("BatchDeleteImage", input)
    }

    public func initiateLayerUpload(_ input: ECR.InitiateLayerUploadInput) async throws -> ECR.InitiateLayerUploadOutput {
        try await send("InitiateLayerUpload", input)
    }

    public func uploadLayerPart(_ input: ECR.UploadLayerPartInput) async throws -> ECR.UploadLayerPartOutput {
        try await send("UploadLayerPart", input)
    }

    public func completeLayerUpload(_ input: ECR.CompleteLayerUploadInput) async throws -> ECR.CompleteLayerUploadOutput {
        try await send("CompleteLayerUpload", input)
    }

    public func putImage(_ input: ECR.PutImageInput) async throws -> ECR.PutImageOutput {
        try await send("PutImage", input)
    }

    // MARK: Protocol

    /// Sends one action with retries and decodes its answer.
    func send<Input: Encodable, Output: Decodable>(_ action: String, _ input: Input) async throws -> Output {
        let body: [UInt8]
        do {
            body = Array(try Self.encoder.encode(input))
        } catch {
            throw ECRError.invalidResponse(action: action, reason: "cannot encode the request: \(error)")
        }
        var attempt = 0
        while true {
            attempt += 1
            let credentials = try await credentialsProvider.credentials()
            let request = signedRequest(action: action, body: body, credentials: credentials, at: now())
            let response: HTTPExchange.Response
            do {
                response = try await HTTPExchange.send(
                    httpClient, method: .POST, url: endpoint.absoluteString,
                    headers: request.headers.map { ($0.name, $0.value) } + [("User-Agent", Self.userAgent)],
                    body: body, timeout: .seconds(60))
            } catch let error as CancellationError {
                throw error
            } catch {
                if attempt < retryPolicy.maxAttempts {
                    logger?.debug("ECR \(action): \(HTTPExchange.describe(error)); retrying", metadata: ["attempt": "\(attempt)"])
                    try await retryPolicy.sleep(beforeRetry: attempt)
                    continue
                }
                throw ECRError.transport(
                    action: action, endpoint: endpoint.absoluteString, attempts: attempt,
                    reason: HTTPExchange.describe(error))
            }
            if (200..<300).contains(response.status) {
                do {
                    return try Self.decoder.decode(Output.self, from: Data(response.body))
                } catch {
                    throw ECRError.invalidResponse(action: action, reason: "cannot decode the answer: \(error)")
                }
            }
            let classification = ECRError.classify(
                action: action, status: response.status, errorTypeHeader: response.headers.first(name: "x-amzn-ErrorType"),
                body: response.body, attempts: attempt)
            if classification.retryable && attempt < retryPolicy.maxAttempts {
                logger?.debug("ECR \(action): \(classification.error); retrying", metadata: ["attempt": "\(attempt)"])
                try await retryPolicy.sleep(beforeRetry: attempt)
                continue
            }
            throw classification.error
        }
    }

    /// The signed request for one action (exposed for tests: headers and credential scope).
    func signedRequest(action: String, body: [UInt8], credentials: AWSCredentials, at date: Date) -> SigV4Request {
        var request = SigV4Request(
            method: "POST", path: endpoint.path.isEmpty ? "/" : endpoint.path,
            headers: [
                .init("Host", HTTPExchange.hostHeader(for: endpoint)),
                .init("Content-Type", Self.contentType),
                .init("X-Amz-Target", Self.targetPrefix + action),
            ], body: body)
        SigV4Signer(credentials: credentials, region: region, service: "ecr").sign(&request, at: date)
        return request
    }

    static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .secondsSince1970
        encoder.dataEncodingStrategy = .base64
        return encoder
    }

    /// Timestamps arrive as epoch seconds (JSON numbers); ISO 8601 strings are accepted too.
    static var decoder: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dataDecodingStrategy = .base64
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            if let seconds = try? container.decode(Double.self) { return Date(timeIntervalSince1970: seconds) }
            let text = try container.decode(String.self)
            if let seconds = Double(text) { return Date(timeIntervalSince1970: seconds) }
            if let date = ISO8601Timestamp.parse(text) { return date }
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "not a timestamp: \(text)")
        }
        return decoder
    }
}
