/// Why credentials could not be found or fetched. Messages name the source, the file or the
/// variable involved and what to do next; they never contain secret keys, session tokens or
/// web identity / container authorization tokens.
public enum CredentialsError: Error, CustomStringConvertible, Equatable {
    /// No source in the chain had credentials; `tried` says what each one found.
    case noCredentials(tried: [String])
    /// One of AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY is set without the other.
    case partialEnvironment(missing: String)
    case profileNotFound(profile: String, configFile: String, credentialsFile: String)
    case invalidConfigFile(path: String, line: Int, reason: String)
    case unreadableFile(path: String, reason: String)
    /// The profile is set up in a way that cannot produce credentials.
    case invalidProfile(profile: String, reason: String)
    case unsupportedProfile(profile: String, feature: String, hint: String)
    case sourceProfileCycle([String])
    case credentialProcessFailed(profile: String, reason: String)
    case webIdentityTokenUnreadable(path: String, reason: String)
    /// STS answered with an error (`AccessDenied`, `InvalidIdentityToken`, …).
    case stsRequestFailed(action: String, roleArn: String, code: String, message: String)
    case invalidResponse(source: String, reason: String)
    case containerEndpointNotAllowed(url: String)
    /// A credentials endpoint (STS, container, instance metadata) could not be reached or failed.
    case endpointFailed(source: String, url: String, reason: String)
    case invalidEndpoint(EndpointError)

    public var description: String {
        switch self {
        case .noCredentials(let tried):
            let list = tried.enumerated().map { "  \($0.offset + 1). \($0.element)" }.joined(separator: "\n")
            return """
                no AWS credentials found. Tried, in order:
                \(list)
                Set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, choose a profile with --profile or AWS_PROFILE, \
                or run where a role is attached (EC2, ECS, CodeBuild, SageMaker, EKS).
                """
        case .partialEnvironment(let missing):
            return "\(missing) is not set while the other AWS key variable is: set both AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or neither"
        case .profileNotFound(let profile, let configFile, let credentialsFile):
            return "AWS profile '\(profile)' not found in \(configFile) ([profile \(profile)]) or \(credentialsFile) ([\(profile)]): check the name, AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE"
        case .invalidConfigFile(let path, let line, let reason):
            return "cannot read AWS config file \(path), line \(line): \(reason)"
        case .unreadableFile(let path, let reason):
            return "cannot read \(path): \(reason)"
        case .invalidProfile(let profile, let reason):
            return "AWS profile '\(profile)': \(reason)"
        case .unsupportedProfile(let profile, let feature, let hint):
            return "AWS profile '\(profile)' uses \(feature), which smimg does not support: \(hint)"
        case .sourceProfileCycle(let chain):
            return "AWS profiles form a source_profile loop (\(chain.joined(separator: " -> "))): make one of them hold keys or a credential_source"
        case .credentialProcessFailed(let profile, let reason):
            return "credential_process of AWS profile '\(profile)' failed: \(reason)"
        case .webIdentityTokenUnreadable(let path, let reason):
            return "cannot read the web identity token file \(path): \(reason) (check AWS_WEB_IDENTITY_TOKEN_FILE or web_identity_token_file)"
        case .stsRequestFailed(let action, let roleArn, let code, let message):
            return "STS \(action) for role \(roleArn) failed: \(code): \(message). Check the role's trust policy and that the caller may assume it"
        case .invalidResponse(let source, let reason):
            return "unexpected answer from \(source): \(reason)"
        case .containerEndpointNotAllowed(let url):
            return "AWS_CONTAINER_CREDENTIALS_FULL_URI=\(url) is not allowed: use https, or http to a loopback address, 169.254.170.2 or 169.254.170.23 (EKS)"
        case .endpointFailed(let source, let url, let reason):
            return "\(source) at \(url) failed: \(reason)"
        case .invalidEndpoint(let error):
            return error.description
        }
    }
}
