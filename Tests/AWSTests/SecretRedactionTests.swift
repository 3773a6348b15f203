import AsyncHTTPClient
import Foundation
import Testing

@testable import AWS

/// No secret key, session token or ECR password appears in descriptions, debug descriptions,
/// dumps or error messages.
struct SecretRedactionTests {
    static let secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYSECRETKEY"
    static let token = "IQoJb3JpZ2luX2VjSESSIONTOKENVALUE=="
    static let password = "eyJwYXlsb2FkIjoiRUNSUEFTU1dPUkQifQ=="
    static let secrets = [secret, token, password]

    func renderings(_ value: Any) -> [String] {
        var dumped = ""
        dump(value, to: &dumped)
        return [String(describing: value), String(reflecting: value), "\(value)", dumped]
    }

    func expectNoSecrets(_ texts: [String], sourceLocation: SourceLocation = #_sourceLocation) {
        for text in texts {
            for secret in Self.secrets {
                #expect(!text.contains(secret), "leaked in: \(text)", sourceLocation: sourceLocation)
            }
        }
    }

    @Test("credential and token types never print their secrets")
    func typesRedactSecrets() throws {
        let credentials = AWSCredentials(
            accessKeyId: "ASIAEXAMPLEKEY1234", secretAccessKey: Self.secret, sessionToken: Self.token,
            expiration: Date(timeIntervalSince1970: 1_900_000_000))
        expectNoSecrets(renderings(credentials))
        #expect(credentials.description.contains("**************1234"))
        #expect(!credentials.description.contains("ASIAEXAMPLEKEY1234"))

        let registry = RegistryLogin(username: "AWS", password: Self.password, validUntil: Date())
        expectNoSecrets(renderings(registry))
        #expect(registry.description.contains("username: AWS"))

        let data = ECR.AuthorizationData(
            authorizationToken: Data("AWS:\(Self.password)".utf8).base64EncodedString(), expiresAt: Date(), proxyEndpoint: "https://x")
        let encodedToken = try #require(data.authorizationToken)
        let token = try ECRAuthorizationToken(authorizationData: data, fetchedAt: Date())
        for text in renderings(token) + renderings(data) {
            #expect(!text.contains(Self.password))
            #expect(!text.contains(encodedToken))
        }
        expectNoSecrets(renderings(StaticCredentialsProvider(credentials)))
    }

    @Test("errors from a rejected request, a failing STS call and bad files carry no secrets")
    func errorsCarryNoSecrets() async throws {
        let credentials = AWSCredentials(accessKeyId: "AKIDLEAKTEST", secretAccessKey: Self.secret, sessionToken: Self.token)
        var messages: [String] = []
        try await withLocalServer({ request, _ in
            if request.header("Content-Type")?.hasPrefix("application/x-www-form-urlencoded") == true {
                return .text(
                    "<ErrorResponse><Error><Code>AccessDenied</Code><Message>not allowed</Message></Error></ErrorResponse>",
                    status: 403, contentType: "text/xml")
            }
            return .json(#"{"__type":"ExpiredTokenException","message":"The security token included in the request is expired"}"#, status: 400)
        }) { server in
            try await withHTTPClient { (httpClient: HTTPClient) async throws in
                let ecr = try ECRClient(
                    httpClient: httpClient, region: "us-east-1", credentials: StaticCredentialsProvider(credentials),
                    environment: ["AWS_ENDPOINT_URL_ECR": server.baseURL], retryPolicy: .none)
                do { _ = try await ecr.getAuthorizationToken() } catch { messages += renderings(error) }

                let sts = try STSClient(httpClient: httpClient, region: "us-east-1", environment: ["AWS_ENDPOINT_URL_STS": server.baseURL], retryPolicy: .none)
                do {
                    _ = try await sts.assumeRole(roleArn: "arn:aws:iam::1:role/r", options: .init(sessionName: "s"), using: credentials)
                } catch { messages += renderings(error) }
                do {
                    _ = try await sts.assumeRoleWithWebIdentity(roleArn: "arn:aws:iam::1:role/r", options: .init(sessionName: "s"), webIdentityToken: Self.token)
                } catch { messages += renderings(error) }
            }
        }
        let files = try SharedFiles(credentials: "[default]\naws_access_key_id = AKIDLEAKTEST\n\(Self.secret)\n")
        defer { files.remove() }
        do { _ = try SharedConfiguration.load(environment: files.environment()) } catch { messages += renderings(error) }
        do {
            _ = try await ProcessCredentialsProvider(command: "echo '\(Self.secret)'; exit 1", profileName: "p").credentials()
        } catch { messages += renderings(error) }

        #expect(messages.count >= 5 * 4)
        expectNoSecrets(messages)
    }
}
