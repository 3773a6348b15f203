import AsyncHTTPClient
import Foundation
import Logging

/// The SDKs' default credentials chain:
///
/// 1. environment variables (`AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`);
/// 2. web identity (`AWS_WEB_IDENTITY_TOKEN_FILE` + `AWS_ROLE_ARN` → STS AssumeRoleWithWebIdentity);
/// 3. the shared config and credentials files (profile from `AWS_PROFILE` or `default`);
/// 4. container credentials (`AWS_CONTAINER_CREDENTIALS_RELATIVE_URI` / `_FULL_URI`);
/// 5. EC2 instance metadata (IMDSv2).
///
/// With an explicit profile (`--profile`, or one per side of a copy) the chain starts at the
/// profile: environment keys and the environment's web identity are skipped, as the AWS CLI
/// does, and a missing profile is an error.
///
/// The first source that has credentials is remembered and wrapped in a
/// ``CachingCredentialsProvider``, so temporary credentials are refreshed from the same source.
public actor DefaultCredentialsChain: CredentialsProvider {
    public struct Options: Sendable {
        /// Refresh temporary credentials this long before they expire.
        public var refreshWindow: TimeInterval
        /// Base URL for `AWS_CONTAINER_CREDENTIALS_RELATIVE_URI` (tests point it at a local server).
        public var containerURIBase: String
        public var instanceMetadataTimeout: TimeInterval
        public var stsRetryPolicy: RetryPolicy
        public var now: @Sendable () -> Date

        public init(
            refreshWindow: TimeInterval = 300, containerURIBase: String = "http://169.254.170.2",
            instanceMetadataTimeout: TimeInterval = 1, stsRetryPolicy: RetryPolicy = .standard,
            now: @escaping @Sendable () -> Date = { Date() }
        ) {
            self.refreshWindow = refreshWindow
            self.containerURIBase = containerURIBase
            self.instanceMetadataTimeout = instanceMetadataTimeout
            self.stsRetryPolicy = stsRetryPolicy
            self.now = now
        }
    }

    public nonisolated let profile: String?
    let sources: [any CredentialsChainMember]
    let options: Options
    let logger: Logger?
    private var resolution: Task<(CachingCredentialsProvider, String), any Error>?
    /// The source that supplied the credentials, once resolved (for `--verbose` output).
    public private(set) var resolvedSourceName: String?

    /// - Parameters:
    ///   - profile: an explicit profile name; nil follows `AWS_PROFILE` / `default`.
    ///   - region: the region for STS calls (role assumption); nil uses `AWS_REGION`,
    ///     `AWS_DEFAULT_REGION`, the profile's region, then `us-east-1`. Pass the target's
    ///     region when it is in another partition (China), where STS must be called in-partition.
    ///   - httpClient: used for STS, container and instance-metadata requests; the caller owns it.
    public init(
        profile: String? = nil, region: String? = nil,
        environment: [String: String] = ProcessInfo.processInfo.environment, httpClient: HTTPClient,
        options: Options = Options(), logger: Logger? = nil
    ) {
        self.profile = profile
        self.options = options
        self.logger = logger
        var sources: [any CredentialsChainMember] = []
        let profileSource = ProfileCredentialsProvider(
            profile: profile, environment: environment, httpClient: httpClient, stsRegion: region,
            containerURIBase: options.containerURIBase, stsRetryPolicy: options.stsRetryPolicy)
        if profile == nil {
            sources.append(EnvironmentCredentialsProvider(environment: environment))
            let stsRetryPolicy = options.stsRetryPolicy
            sources.append(
                EnvironmentWebIdentitySource(environment: environment) {
                    let stsRegion = try region ?? RegionResolver.resolve(environment: environment) ?? "us-east-1"
                    return try STSClient(
                        httpClient: httpClient, region: stsRegion, environment: environment, retryPolicy: stsRetryPolicy)
                })
        }
        sources.append(profileSource)
        sources.append(
            ContainerCredentialsProvider(
                environment: environment, httpClient: httpClient, relativeURIBase: options.containerURIBase))
        sources.append(
            InstanceMetadataCredentialsProvider(
                environment: environment, httpClient: httpClient,
                timeout: .milliseconds(Int64(options.instanceMetadataTimeout * 1000))))
        self.sources = sources
    }

    public func credentials() async throws -> AWSCredentials {
        let task: Task<(CachingCredentialsProvider, String), any Error>
        if let resolution {
            task = resolution
        } else {
            let sources = sources
            let options = options
            task = Task { try await Self.resolve(sources, options: options) }
            resolution = task
        }
        do {
            let (provider, name) = try await task.value
            if resolvedSourceName == nil {
                resolvedSourceName = name
                logger?.debug("AWS credentials from \(name)")
            }
            return try await provider.credentials()
        } catch {
            // Resolve again next time: the environment may have been fixed.
            if resolution == task { resolution = nil }
            throw error
        }
    }

    private static func resolve(_ sources: [any CredentialsChainMember], options: Options) async throws
        -> (CachingCredentialsProvider, String)
    {
        var tried: [String] = []
        for source in sources {
            switch try await source.resolve() {
            case .resolved(let credentials):
                let provider = CachingCredentialsProvider(
                    wrapping: ResolvedSource(source: source), refreshWindow: options.refreshWindow,
                    initial: credentials, now: options.now)
                return (provider, source.sourceName)
            case .notApplicable(let reason):
                tried.append("\(source.sourceName): \(reason)")
            }
        }
        throw CredentialsError.noCredentials(tried: tried)
    }
}

/// A source known to apply; refreshing it when it no longer does is an error.
private struct ResolvedSource: CredentialsProvider {
    let source: any CredentialsChainMember

    func credentials() async throws -> AWSCredentials {
        try await source.credentials()
    }
}
