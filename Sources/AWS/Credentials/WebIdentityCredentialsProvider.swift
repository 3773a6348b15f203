import Foundation

/// Credentials for a role from STS AssumeRoleWithWebIdentity with an OIDC token read from a
/// file (EKS service accounts, GitHub Actions). The file is read on every refresh, since the
/// platform rotates it.
public struct WebIdentityCredentialsProvider: CredentialsProvider {
    public let tokenFile: String
    public let roleArn: String
    public let sessionName: String
    let sts: STSClient

    public init(tokenFile: String, roleArn: String, sessionName: String?, sts: STSClient) {
        self.tokenFile = tokenFile
        self.roleArn = roleArn
        self.sessionName = sessionName ?? WebIdentityCredentialsProvider.defaultSessionName()
        self.sts = sts
    }

    public func credentials() async throws -> AWSCredentials {
        let token: String
        do {
            token = try String(contentsOfFile: tokenFile, encoding: .utf8)
                .trimmingCharacters(in: .whitespacesAndNewlines)
        } catch {
            throw CredentialsError.webIdentityTokenUnreadable(path: tokenFile, reason: error.localizedDescription)
        }
        guard !token.isEmpty else {
            throw CredentialsError.webIdentityTokenUnreadable(path: tokenFile, reason: "the file is empty")
        }
        return try await sts.assumeRoleWithWebIdentity(
            roleArn: roleArn, options: .init(sessionName: sessionName), webIdentityToken: token)
    }

    /// `smimg-<unix seconds>`, like botocore's `botocore-session-<seconds>`.
    static func defaultSessionName() -> String {
        "smimg-\(Int(Date().timeIntervalSince1970))"
    }
}

/// The web identity settings from `AWS_WEB_IDENTITY_TOKEN_FILE`, `AWS_ROLE_ARN` and
/// `AWS_ROLE_SESSION_NAME`.
struct EnvironmentWebIdentitySource: CredentialsChainMember {
    let environment: [String: String]
    let makeSTS: @Sendable () throws -> STSClient

    var sourceName: String { "web identity (AWS_WEB_IDENTITY_TOKEN_FILE, AWS_ROLE_ARN)" }

    func resolve() async throws -> CredentialResolution {
        let tokenFile = environment["AWS_WEB_IDENTITY_TOKEN_FILE"].flatMap { $0.isEmpty ? nil : $0 }
        let roleArn = environment["AWS_ROLE_ARN"].flatMap { $0.isEmpty ? nil : $0 }
        switch (tokenFile, roleArn) {
        case (nil, nil):
            return .notApplicable(reason: "not set")
        case (nil, _):
            return .notApplicable(reason: "AWS_ROLE_ARN is set but AWS_WEB_IDENTITY_TOKEN_FILE is not")
        case (_, nil):
            return .notApplicable(reason: "AWS_WEB_IDENTITY_TOKEN_FILE is set but AWS_ROLE_ARN is not")
        case (let tokenFile?, let roleArn?):
            let provider = WebIdentityCredentialsProvider(
                tokenFile: tokenFile, roleArn: roleArn,
                sessionName: environment["AWS_ROLE_SESSION_NAME"].flatMap { $0.isEmpty ? nil : $0 },
                sts: try makeSTS())
            return .resolved(try await provider.credentials())
        }
    }
}
