import AWS
import ArgumentParser
import AsyncHTTPClient
import Foundation
import Logging
import Transfer

/// AWS settings: which profile signs ECR calls, and how missing ECR repositories are created.
struct ECROptions: ParsableArguments {
    @Option(help: "AWS profile for ECR (default: the standard chain: environment, web identity, AWS_PROFILE/default, container, instance metadata).")
    var profile: String?

    @Flag(name: .customLong("no-create-repo"), help: "Do not create a missing ECR repository on push.")
    var noCreateRepository = false

    @Flag(name: .customLong("ecr-scan-on-push"), help: "Created ECR repositories scan images on push.")
    var scanOnPush = false

    @Flag(name: .customLong("ecr-immutable-tags"), help: "Created ECR repositories have immutable tags.")
    var immutableTags = false

    @Option(name: .customLong("ecr-kms-key"), help: "Created ECR repositories are encrypted with this KMS key (default: AES256).")
    var kmsKey: String?

    @Option(name: .customLong("ecr-tag"), help: "KEY=VALUE resource tag for created ECR repositories (repeatable).")
    var resourceTags: [String] = []

    func repositorySettings() throws -> ECRRepositorySettings {
        var tags: [String: String] = [:]
        for entry in resourceTags {
            guard let equals = entry.firstIndex(of: "="), equals != entry.startIndex else {
                throw ValidationError("--ecr-tag takes KEY=VALUE, got '\(entry)'")
            }
            tags[String(entry[..<equals])] = String(entry[entry.index(after: equals)...])
        }
        return ECRRepositorySettings(
            scanOnPush: scanOnPush, tagMutability: immutableTags ? .immutable : .mutable,
            encryption: kmsKey.map { ECR.EncryptionConfiguration(encryptionType: .kms, kmsKey: $0) },
            tags: tags)
    }
}

/// The HTTP client AWS calls go through (the registry transports have their own), shut down
/// by `withAWS` when the command ends.
final class AWSSession: Sendable {
    let httpClient = HTTPClient(eventLoopGroupProvider: .singleton)

    /// Credentials for one side of a transfer. `region` is where STS is called when a role must
    /// be assumed (the target's, so China uses China's STS).
    func credentials(profile: String?, region: String?) -> DefaultCredentialsChain {
        DefaultCredentialsChain(profile: profile, region: region, httpClient: httpClient, logger: Logger(label: "smimg.aws"))
    }

    /// The environment ECR clients of `profile` resolve their endpoint from: the process's,
    /// plus the profile's `endpoint_url` when no `AWS_ENDPOINT_URL*` variable is set.
    func environment(profile: String?) -> [String: String] {
        ProfileEndpoint.environment(profile: profile, base: ProcessInfo.processInfo.environment)
    }

    /// ECR registry logins for hosts of the given region's partition, signed with `profile`.
    func ecrCredentialSource(profile: String?, region: String?) -> ECRCredentialSource {
        ECRCredentialSource(authenticator: ECRRegistryAuthenticator(
            httpClient: httpClient, credentials: credentials(profile: profile, region: region),
            environment: environment(profile: profile), logger: Logger(label: "smimg.aws")))
    }

    func shutdown() async {
        try? await httpClient.shutdown()
    }
}

/// Runs a body with an AWS session that is shut down afterwards.
func withAWS<T>(_ body: (AWSSession) async throws -> T) async throws -> T {
    let session = AWSSession()
    do {
        let result = try await body(session)
        await session.shutdown()
        return result
    } catch {
        await session.shutdown()
        throw error
    }
}
