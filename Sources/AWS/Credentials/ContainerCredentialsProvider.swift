import AsyncHTTPClient
import Foundation
import NIOCore

/// Container credentials (ECS tasks, CodeBuild, SageMaker Studio, EKS Pod Identity):
/// `AWS_CONTAINER_CREDENTIALS_RELATIVE_URI` on `http://169.254.170.2`, or
/// `AWS_CONTAINER_CREDENTIALS_FULL_URI` with an `Authorization` header from
/// `AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE` (read on each fetch) or
/// `AWS_CONTAINER_AUTHORIZATION_TOKEN`.
public struct ContainerCredentialsProvider: CredentialsChainMember {
    let environment: [String: String]
    let httpClient: HTTPClient
    /// Where relative URIs are resolved (`http://169.254.170.2`; tests point it elsewhere).
    let relativeURIBase: String
    let retryPolicy: RetryPolicy

    public init(
        environment: [String: String] = ProcessInfo.processInfo.environment, httpClient: HTTPClient,
        relativeURIBase: String = "http://169.254.170.2", retryPolicy: RetryPolicy = .init(maxAttempts: 3, baseDelay: 0.2, maxDelay: 1)
    ) {
        self.environment = environment
        self.httpClient = httpClient
        self.relativeURIBase = relativeURIBase
        self.retryPolicy = retryPolicy
    }

    public var sourceName: String {
        "container credentials (AWS_CONTAINER_CREDENTIALS_RELATIVE_URI, AWS_CONTAINER_CREDENTIALS_FULL_URI)"
    }

    public func resolve() async throws -> CredentialResolution {
        let url: String
        if let relative = value("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI") {
            url = relativeURIBase + (relative.hasPrefix("/") ? relative : "/" + relative)
        } else if let full = value("AWS_CONTAINER_CREDENTIALS_FULL_URI") {
            guard Self.isAllowedFullURI(full) else { throw CredentialsError.containerEndpointNotAllowed(url: full) }
            url = full
        } else {
            return .notApplicable(reason: "not set")
        }
        var headers: [(String, String)] = [("Accept", "application/json")]
        if let token = try authorizationToken() { headers.append(("Authorization", token)) }

        var attempt = 0
        while true {
            attempt += 1
            do {
                let response = try await HTTPExchange.send(
                    httpClient, method: .GET, url: url, headers: headers, timeout: .seconds(5))
                if response.status == 200 {
                    return .resolved(try CredentialsDocument.decode(response.body, source: "container credentials endpoint \(url)"))
                }
                if response.status >= 500 && attempt < retryPolicy.maxAttempts {
                    try await retryPolicy.sleep(beforeRetry: attempt)
                    continue
                }
                throw CredentialsError.endpointFailed(
                    source: "container credentials endpoint", url: url,
                    reason: "HTTP \(response.status)\(CredentialsDocument.errorSummary(response.body))")
            } catch let error as CredentialsError {
                throw error
            } catch {
                if attempt < retryPolicy.maxAttempts {
                    try await retryPolicy.sleep(beforeRetry: attempt)
                    continue
                }
                throw CredentialsError.endpointFailed(
                    source: "container credentials endpoint", url: url, reason: HTTPExchange.describe(error))
            }
        }
    }

    func authorizationToken() throws -> String? {
        var token: String?
        if let file = value("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE") {
            do {
                token = try String(contentsOfFile: file, encoding: .utf8)
                    .trimmingCharacters(in: .whitespacesAndNewlines)
            } catch {
                throw CredentialsError.unreadableFile(path: file, reason: error.localizedDescription)
            }
        } else {
            token = value("AWS_CONTAINER_AUTHORIZATION_TOKEN")
        }
        if let token, token.contains("\r") || token.contains("\n") {
            throw CredentialsError.invalidResponse(
                source: "container authorization token", reason: "it contains a line break")
        }
        return token
    }

    /// https anywhere; http only to loopback or the ECS / EKS link-local addresses (as the SDKs allow).
    static func isAllowedFullURI(_ text: String) -> Bool {
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), var host = url.host?.lowercased()
        else { return false }
        if scheme == "https" { return true }
        guard scheme == "http" else { return false }
        host = host.trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        if ["localhost", "::1", "169.254.170.2", "169.254.170.23", "fd00:ec2::23"].contains(host) { return true }
        let octets = host.split(separator: ".")
        return octets.count == 4 && octets[0] == "127" && octets.allSatisfy { UInt8($0) != nil }
    }

    private func value(_ name: String) -> String? {
        guard let value = environment[name]?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
        return value
    }
}

/// The JSON credentials document served by the container endpoint and instance metadata:
/// `AccessKeyId`, `SecretAccessKey`, `Token`, `Expiration`.
enum CredentialsDocument {
    private struct Document: Decodable {
        var Code: String?
        var Message: String?
        var AccessKeyId: String?
        var SecretAccessKey: String?
        var Token: String?
        var Expiration: String?
    }

    static func decode(_ body: [UInt8], source: String) throws -> AWSCredentials {
        guard let document = try? JSONDecoder().decode(Document.self, from: Data(body)) else {
            throw CredentialsError.invalidResponse(source: source, reason: "the answer is not a JSON credentials document")
        }
        if let code = document.Code, code != "Success" {
            throw CredentialsError.invalidResponse(
                source: source, reason: "Code \(code)\(document.Message.map { ": \($0)" } ?? "")")
        }
        guard let accessKeyId = document.AccessKeyId, let secret = document.SecretAccessKey else {
            throw CredentialsError.invalidResponse(source: source, reason: "AccessKeyId or SecretAccessKey is missing")
        }
        return AWSCredentials(
            accessKeyId: accessKeyId, secretAccessKey: secret, sessionToken: document.Token,
            expiration: document.Expiration.flatMap(ISO8601Timestamp.parse))
    }

    /// `: code: message` from a JSON error document (either capitalisation), if the body is one.
    static func errorSummary(_ body: [UInt8]) -> String {
        guard let object = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any] else { return "" }
        let parts = ["code", "message"].compactMap { key in
            object.first { $0.key.lowercased() == key }?.value as? String
        }
        return parts.isEmpty ? "" : ": " + parts.joined(separator: ": ")
    }
}
