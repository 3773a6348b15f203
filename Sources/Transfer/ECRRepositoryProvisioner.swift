import AWS
import AsyncHTTPClient
import Foundation
import Logging
import OCI

/// Makes sure an ECR repository exists before anything is pushed to it, creating it with the
/// given settings when it does not (like a first `docker push` cannot).
public struct ECRRepositoryProvisioner: Sendable {
    let httpClient: HTTPClient
    let credentials: any CredentialsProvider
    let settings: ECRRepositorySettings
    let logger: Logger
    let environment: [String: String]

    public init(
        httpClient: HTTPClient, credentials: any CredentialsProvider, settings: ECRRepositorySettings,
        environment: [String: String] = ProcessInfo.processInfo.environment, logger: Logger
    ) {
        self.httpClient = httpClient
        self.environment = environment
        self.credentials = credentials
        self.settings = settings
        self.logger = logger
    }

    /// Returns true if the repository was created. Non-ECR references are left alone (false).
    @discardableResult
    public func ensureRepository(for reference: ImageReference) async throws -> Bool {
        guard let host = ECRRegistryHost(parsing: reference.registry) else { return false }
        let client = try ECRClient(httpClient: httpClient, region: host.region, credentials: credentials, environment: environment)
        do {
            _ = try await client.describeRepositories(
                ECR.DescribeRepositoriesInput(registryId: host.account, repositoryNames: [reference.repository]))
            return false
        } catch ECRError.repositoryNotFound {
            // Created below.
        }
        do {
            _ = try await client.createRepository(ECR.CreateRepositoryInput(
                repositoryName: reference.repository, registryId: host.account,
                tags: settings.tags.isEmpty ? nil : settings.tags.sorted { $0.key < $1.key }.map { ECR.Tag(key: $0.key, value: $0.value) },
                imageTagMutability: settings.tagMutability, scanOnPush: settings.scanOnPush,
                encryptionConfiguration: settings.encryption))
            logger.info("created ECR repository \(reference.repository) in \(host.account) (\(host.region))")
            return true
        } catch ECRError.repositoryAlreadyExists {
            // Created concurrently by someone else: fine.
            return false
        }
    }
}
