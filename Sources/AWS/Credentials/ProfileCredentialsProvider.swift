import AsyncHTTPClient
import Foundation

/// Credentials from a profile of the shared config and credentials files, in botocore's order:
/// `role_arn` (with `source_profile` or `credential_source`, via STS AssumeRole), `role_arn` with
/// `web_identity_token_file`, keys in the credentials file, `credential_process`, keys in the
/// config file. The files are read on every resolution, so edits are picked up on refresh.
public struct ProfileCredentialsProvider: CredentialsChainMember {
    /// A profile chosen by the caller (`--profile`); nil means `AWS_PROFILE` or `default`.
    public let explicitProfile: String?
    let environment: [String: String]
    let httpClient: HTTPClient
    let stsRegion: String?
    let containerURIBase: String
    let stsRetryPolicy: RetryPolicy

    public init(
        profile: String? = nil, environment: [String: String] = ProcessInfo.processInfo.environment,
        httpClient: HTTPClient, stsRegion: String? = nil, containerURIBase: String = "http://169.254.170.2",
        stsRetryPolicy: RetryPolicy = .standard
    ) {
        explicitProfile = profile
        self.environment = environment
        self.httpClient = httpClient
        self.stsRegion = stsRegion
        self.containerURIBase = containerURIBase
        self.stsRetryPolicy = stsRetryPolicy
    }

    public var profileName: String { SharedConfiguration.profileName(explicit: explicitProfile, environment: environment) }

    public var sourceName: String { "shared config and credentials files, profile '\(profileName)'" }

    /// True when the profile was named by the caller or the environment (so a missing profile is an error).
    var profileWasChosen: Bool { profileName != "default" || explicitProfile != nil }

    public func resolve() async throws -> CredentialResolution {
        let configuration = try SharedConfiguration.load(environment: environment)
        let name = profileName
        guard let profile = configuration.profile(named: name) else {
            if profileWasChosen {
                throw CredentialsError.profileNotFound(
                    profile: name, configFile: configuration.configFilePath,
                    credentialsFile: configuration.credentialsFilePath)
            }
            return .notApplicable(
                reason: "no [default] profile in \(configuration.configFilePath) or \(configuration.credentialsFilePath)")
        }
        guard let provider = try makeProvider(for: profile, in: configuration, visited: []) else {
            return .notApplicable(reason: "the profile has no keys, role_arn or credential_process")
        }
        return .resolved(try await provider.credentials())
    }

    /// The provider a profile describes, or nil when it describes none.
    func makeProvider(for profile: AWSProfile, in configuration: SharedConfiguration, visited: [String]) throws
        -> (any CredentialsProvider)?
    {
        if let roleArn = profile["role_arn"] {
            return try assumeRoleProvider(roleArn: roleArn, profile: profile, in: configuration, visited: visited)
        }
        if profile["web_identity_token_file"] != nil {
            throw CredentialsError.invalidProfile(
                profile: profile.name, reason: "web_identity_token_file needs role_arn in the same profile")
        }
        if let keys = profile.staticCredentials(fromCredentialsFile: true) {
            return StaticCredentialsProvider(keys)
        }
        if let command = profile["credential_process"] {
            return ProcessCredentialsProvider(command: command, profileName: profile.name, environment: environment)
        }
        if let keys = profile.staticCredentials(fromCredentialsFile: false) {
            return StaticCredentialsProvider(keys)
        }
        if profile["sso_session"] != nil || profile["sso_start_url"] != nil {
            throw CredentialsError.unsupportedProfile(
                profile: profile.name, feature: "IAM Identity Center (SSO)",
                hint: "run `aws configure export-credentials --profile \(profile.name) --format env` and use those variables, or set credential_process to `aws configure export-credentials --profile \(profile.name)`")
        }
        return nil
    }

    private func assumeRoleProvider(
        roleArn: String, profile: AWSProfile, in configuration: SharedConfiguration, visited: [String]
    ) throws -> any CredentialsProvider {
        if profile["mfa_serial"] != nil {
            throw CredentialsError.unsupportedProfile(
                profile: profile.name, feature: "mfa_serial (MFA for assume role)",
                hint: "smimg cannot prompt for a code; get temporary credentials with `aws sts assume-role` and export them")
        }
        let sts = try makeSTS(profile: profile)
        let sessionName = profile["role_session_name"] ?? WebIdentityCredentialsProvider.defaultSessionName()

        if let tokenFile = profile["web_identity_token_file"], profile["source_profile"] == nil,
            profile["credential_source"] == nil
        {
            return WebIdentityCredentialsProvider(
                tokenFile: tokenFile, roleArn: roleArn, sessionName: sessionName, sts: sts)
        }

        let source: any CredentialsProvider
        if let sourceName = profile["source_profile"] {
            if profile["credential_source"] != nil {
                throw CredentialsError.invalidProfile(
                    profile: profile.name, reason: "set either source_profile or credential_source, not both")
            }
            if sourceName == profile.name {
                guard
                    let keys = profile.staticCredentials(fromCredentialsFile: true)
                        ?? profile.staticCredentials(fromCredentialsFile: false)
                else {
                    throw CredentialsError.invalidProfile(
                        profile: profile.name, reason: "source_profile names the profile itself, which has no keys")
                }
                source = StaticCredentialsProvider(keys)
            } else {
                let chain = visited + [profile.name]
                if chain.contains(sourceName) { throw CredentialsError.sourceProfileCycle(chain + [sourceName]) }
                guard let sourceProfile = configuration.profile(named: sourceName) else {
                    throw CredentialsError.invalidProfile(
                        profile: profile.name, reason: "its source_profile '\(sourceName)' does not exist")
                }
                source = try sourceProvider(for: sourceProfile, in: configuration, visited: chain)
            }
        } else if let credentialSource = profile["credential_source"] {
            switch credentialSource {
            case "Environment":
                source = EnvironmentCredentialsProvider(environment: environment)
            case "Ec2InstanceMetadata":
                source = InstanceMetadataCredentialsProvider(environment: environment, httpClient: httpClient)
            case "EcsContainer":
                source = ContainerCredentialsProvider(
                    environment: environment, httpClient: httpClient, relativeURIBase: containerURIBase)
            default:
                throw CredentialsError.invalidProfile(
                    profile: profile.name,
                    reason: "credential_source '\(credentialSource)' is not one of Environment, Ec2InstanceMetadata, EcsContainer")
            }
        } else {
            throw CredentialsError.invalidProfile(
                profile: profile.name, reason: "role_arn needs source_profile, credential_source or web_identity_token_file")
        }
        let options = STSClient.RoleOptions(
            sessionName: sessionName, externalId: profile["external_id"],
            durationSeconds: profile["duration_seconds"].flatMap { Int($0) })
        return AssumeRoleCredentialsProvider(roleArn: roleArn, options: options, source: source, sts: sts)
    }

    /// A `source_profile`'s credentials: its keys if it has any (even when it also has a
    /// role_arn, as botocore does), else whatever the profile describes (a further role, a process).
    private func sourceProvider(for profile: AWSProfile, in configuration: SharedConfiguration, visited: [String])
        throws -> any CredentialsProvider
    {
        if let keys = profile.staticCredentials(fromCredentialsFile: true) ?? profile.staticCredentials(fromCredentialsFile: false) {
            return StaticCredentialsProvider(keys)
        }
        guard let provider = try makeProvider(for: profile, in: configuration, visited: visited) else {
            throw CredentialsError.invalidProfile(
                profile: profile.name, reason: "it is used as a source_profile but has no keys, role_arn or credential_process")
        }
        return provider
    }

    private func makeSTS(profile: AWSProfile) throws -> STSClient {
        let region = stsRegion ?? Self.nonEmpty(environment["AWS_REGION"]) ?? Self.nonEmpty(environment["AWS_DEFAULT_REGION"])
            ?? profile.region ?? "us-east-1"
        return try STSClient(httpClient: httpClient, region: region, environment: environment, retryPolicy: stsRetryPolicy)
    }

    static func nonEmpty(_ value: String?) -> String? {
        guard let value, !value.isEmpty else { return nil }
        return value
    }
}
