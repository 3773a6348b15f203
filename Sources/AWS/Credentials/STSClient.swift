import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1

/// The two STS actions the credentials chain needs, over the AWS query protocol (form-encoded
/// POST, XML answer): AssumeRole (signed with the caller's credentials) and
/// AssumeRoleWithWebIdentity (unsigned: the web identity token is the proof).
public struct STSClient: Sendable {
    public let region: String
    public let endpoint: URL
    let httpClient: HTTPClient
    let retryPolicy: RetryPolicy
    let logger: Logger?
    let now: @Sendable () -> Date

    static let apiVersion = "2011-06-15"

    public init(
        httpClient: HTTPClient, region: String, environment: [String: String] = ProcessInfo.processInfo.environment,
        retryPolicy: RetryPolicy = .standard, logger: Logger? = nil
    ) throws(CredentialsError) {
        do {
            endpoint = try AWSEndpointResolver(environment: environment).stsEndpoint(region: region)
        } catch {
            throw .invalidEndpoint(error)
        }
        self.httpClient = httpClient
        self.region = region
        self.retryPolicy = retryPolicy
        self.logger = logger
        now = { Date() }
    }

    public struct RoleOptions: Sendable, Equatable {
        public var sessionName: String
        public var externalId: String?
        public var durationSeconds: Int?

        public init(sessionName: String, externalId: String? = nil, durationSeconds: Int? = nil) {
            self.sessionName = sessionName
            self.externalId = externalId
            self.durationSeconds = durationSeconds
        }
    }

    /// STS AssumeRole, signed with `credentials`.
    public func assumeRole(roleArn: String, options: RoleOptions, using credentials: AWSCredentials) async throws
        -> AWSCredentials
    {
        var parameters = [("Action", "AssumeRole"), ("Version", Self.apiVersion), ("RoleArn", roleArn)]
        parameters.append(("RoleSessionName", options.sessionName))
        if let externalId = options.externalId { parameters.append(("ExternalId", externalId)) }
        if let duration = options.durationSeconds { parameters.append(("DurationSeconds", String(duration))) }
        return try await call(action: "AssumeRole", roleArn: roleArn, parameters: parameters, signWith: credentials)
    }

    /// STS AssumeRoleWithWebIdentity (unsigned).
    public func assumeRoleWithWebIdentity(roleArn: String, options: RoleOptions, webIdentityToken: String) async throws
        -> AWSCredentials
    {
        var parameters = [("Action", "AssumeRoleWithWebIdentity"), ("Version", Self.apiVersion), ("RoleArn", roleArn)]
        parameters.append(("RoleSessionName", options.sessionName))
        parameters.append(("WebIdentityToken", webIdentityToken))
        if let duration = options.durationSeconds { parameters.append(("DurationSeconds", String(duration))) }
        return try await call(
            action: "AssumeRoleWithWebIdentity", roleArn: roleArn, parameters: parameters, signWith: nil)
    }

    /// Error codes worth another attempt.
    static let retryableCodes: Set<String> = [
        "Throttling", "ThrottlingException", "RequestLimitExceeded", "IDPCommunicationError", "ServiceUnavailable",
        "InternalFailure", "InternalError",
    ]

    func call(action: String, roleArn: String, parameters: [(String, String)], signWith credentials: AWSCredentials?)
        async throws -> AWSCredentials
    {
        let body = Array(URIEncoding.formBody(parameters).utf8)
        let source = "STS \(action) (\(endpoint.absoluteString))"
        var attempt = 0
        while true {
            attempt += 1
            let request = signedRequest(body: body, credentials: credentials, at: now())
            let response: HTTPExchange.Response
            do {
                response = try await HTTPExchange.send(
                    httpClient, method: .POST, url: endpoint.absoluteString,
                    headers: request.headers.map { ($0.name, $0.value) }, body: body, timeout: .seconds(30))
            } catch {
                if attempt < retryPolicy.maxAttempts {
                    try await retryPolicy.sleep(beforeRetry: attempt)
                    continue
                }
                throw CredentialsError.endpointFailed(
                    source: "STS \(action)", url: endpoint.absoluteString, reason: HTTPExchange.describe(error))
            }
            let text = response.bodyText
            if (200..<300).contains(response.status) {
                return try Self.parseCredentials(text, source: source)
            }
            let code = XMLText.firstElement("Code", in: text) ?? "HTTP \(response.status)"
            let message = XMLText.firstElement("Message", in: text) ?? "no error message"
            let retryable = Self.retryableCodes.contains(code) || response.status >= 500 || response.status == 429
            if retryable && attempt < retryPolicy.maxAttempts {
                logger?.debug("STS \(action) answered \(code); retrying", metadata: ["attempt": "\(attempt)"])
                try await retryPolicy.sleep(beforeRetry: attempt)
                continue
            }
            throw CredentialsError.stsRequestFailed(action: action, roleArn: roleArn, code: code, message: message)
        }
    }

    /// The request for a form body, signed for service `sts` when credentials are given.
    func signedRequest(body: [UInt8], credentials: AWSCredentials?, at date: Date) -> SigV4Request {
        var request = SigV4Request(
            method: "POST", path: endpoint.path.isEmpty ? "/" : endpoint.path,
            headers: [
                .init("Host", HTTPExchange.hostHeader(for: endpoint)),
                .init("Content-Type", "application/x-www-form-urlencoded; charset=utf-8"),
            ], body: body)
        if let credentials {
            SigV4Signer(credentials: credentials, region: region, service: "sts").sign(&request, at: date)
        }
        return request
    }

    /// Reads `<Credentials>` from an AssumeRole / AssumeRoleWithWebIdentity answer.
    static func parseCredentials(_ document: String, source: String) throws -> AWSCredentials {
        guard let block = XMLText.firstElement("Credentials", in: document) else {
            throw CredentialsError.invalidResponse(source: source, reason: "no <Credentials> element in the answer")
        }
        guard let accessKeyId = XMLText.firstElement("AccessKeyId", in: block),
            let secretAccessKey = XMLText.firstElement("SecretAccessKey", in: block),
            let sessionToken = XMLText.firstElement("SessionToken", in: block)
        else {
            throw CredentialsError.invalidResponse(
                source: source, reason: "<Credentials> lacks AccessKeyId, SecretAccessKey or SessionToken")
        }
        let expiration = XMLText.firstElement("Expiration", in: block).flatMap(ISO8601Timestamp.parse)
        return AWSCredentials(
            accessKeyId: accessKeyId, secretAccessKey: secretAccessKey, sessionToken: sessionToken,
            expiration: expiration)
    }
}
