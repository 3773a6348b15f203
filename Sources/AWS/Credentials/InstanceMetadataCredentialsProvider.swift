import AsyncHTTPClient
import Foundation
import NIOCore

/// EC2 instance metadata (also SageMaker notebook instances) with IMDSv2 session tokens:
/// `PUT /latest/api/token` with a TTL header, then the role name and its credentials with
/// `X-aws-ec2-metadata-token`. `AWS_EC2_METADATA_SERVICE_ENDPOINT` moves the endpoint,
/// `AWS_EC2_METADATA_DISABLED=true` turns it off, and IMDSv1 is used only when the token
/// request is refused with 403/404/405 and `AWS_EC2_METADATA_V1_DISABLED` is not true.
public struct InstanceMetadataCredentialsProvider: CredentialsChainMember {
    let environment: [String: String]
    let httpClient: HTTPClient
    let timeout: TimeAmount

    static let tokenTTLSeconds = 21600
    static let credentialsPath = "/latest/meta-data/iam/security-credentials/"

    public init(
        environment: [String: String] = ProcessInfo.processInfo.environment, httpClient: HTTPClient,
        timeout: TimeAmount = .seconds(1)
    ) {
        self.environment = environment
        self.httpClient = httpClient
        self.timeout = timeout
    }

    public var sourceName: String { "EC2 instance metadata (\(endpoint))" }

    var endpoint: String {
        if let configured = environment["AWS_EC2_METADATA_SERVICE_ENDPOINT"], !configured.isEmpty {
            return configured.hasSuffix("/") ? String(configured.dropLast()) : configured
        }
        if environment["AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE"]?.lowercased() == "ipv6" {
            return "http://[fd00:ec2::254]"
        }
        return "http://169.254.169.254"
    }

    public func resolve() async throws -> CredentialResolution {
        if environment["AWS_EC2_METADATA_DISABLED"]?.lowercased() == "true" {
            return .notApplicable(reason: "disabled by AWS_EC2_METADATA_DISABLED")
        }
        let token: String?
        do {
            let response = try await HTTPExchange.send(
                httpClient, method: .PUT, url: endpoint + "/latest/api/token",
                headers: [("X-aws-ec2-metadata-token-ttl-seconds", String(Self.tokenTTLSeconds))], timeout: timeout)
            let v1Allowed = environment["AWS_EC2_METADATA_V1_DISABLED"]?.lowercased() != "true"
            if response.status == 200 {
                token = response.bodyText.trimmingCharacters(in: .whitespacesAndNewlines)
            } else if [403, 404, 405].contains(response.status) && v1Allowed {
                token = nil
            } else {
                throw CredentialsError.endpointFailed(
                    source: "EC2 instance metadata token request", url: endpoint, reason: "HTTP \(response.status)")
            }
        } catch let error as CredentialsError {
            throw error
        } catch {
            return .notApplicable(reason: "not reachable (\(HTTPExchange.describe(error)))")
        }
        var headers: [(String, String)] = []
        if let token { headers.append(("X-aws-ec2-metadata-token", token)) }

        let roles = try await get(Self.credentialsPath, headers: headers)
        guard roles.status == 200 else {
            if roles.status == 404 { return .notApplicable(reason: "the instance has no IAM role attached") }
            throw CredentialsError.endpointFailed(
                source: "EC2 instance metadata", url: endpoint + Self.credentialsPath, reason: "HTTP \(roles.status)")
        }
        guard let role = roles.bodyText.split(whereSeparator: \.isNewline).first.map(String.init), !role.isEmpty
        else {
            return .notApplicable(reason: "the instance has no IAM role attached")
        }
        let path = Self.credentialsPath + URIEncoding.encode(role)
        let document = try await get(path, headers: headers)
        guard document.status == 200 else {
            throw CredentialsError.endpointFailed(
                source: "EC2 instance metadata", url: endpoint + path, reason: "HTTP \(document.status)")
        }
        return .resolved(try CredentialsDocument.decode(document.body, source: "EC2 instance metadata \(endpoint + path)"))
    }

    private func get(_ path: String, headers: [(String, String)]) async throws -> HTTPExchange.Response {
        do {
            return try await HTTPExchange.send(httpClient, method: .GET, url: endpoint + path, headers: headers, timeout: timeout)
        } catch {
            throw CredentialsError.endpointFailed(
                source: "EC2 instance metadata", url: endpoint + path, reason: HTTPExchange.describe(error))
        }
    }
}
