/// Credentials for a role, from STS AssumeRole signed with another provider's credentials
/// (a profile's `role_arn` with `source_profile` or `credential_source`).
public struct AssumeRoleCredentialsProvider: CredentialsProvider {
    public let roleArn: String
    public let options: STSClient.RoleOptions
    let source: any CredentialsProvider
    let sts: STSClient

    public init(roleArn: String, options: STSClient.RoleOptions, source: any CredentialsProvider, sts: STSClient) {
        self.roleArn = roleArn
        self.options = options
        self.source = source
        self.sts = sts
    }

    public func credentials() async throws -> AWSCredentials {
        let sourceCredentials = try await source.credentials()
        return try await sts.assumeRole(roleArn: roleArn, options: options, using: sourceCredentials)
    }
}
