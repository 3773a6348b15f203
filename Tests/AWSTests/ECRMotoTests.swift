import AsyncHTTPClient
import Foundation
import Testing
import TestSupport

@testable import AWS

/// The ECR client and STS against the harness's moto server (`SMIMG_TEST_MOTO`), reached
/// through the standard endpoint override variables.
@Suite(.enabled(if: Harness.isUp))
struct ECRMotoTests {
    static let credentials = AWSCredentials(accessKeyId: "AKIDMOTOTEST", secretAccessKey: "motoSecret")

    func client(_ httpClient: HTTPClient, region: String = "cn-north-1") throws -> ECRClient {
        try ECRClient(
            httpClient: httpClient, region: region, credentials: StaticCredentialsProvider(Self.credentials),
            environment: ["AWS_ENDPOINT_URL_ECR": try HarnessMoto.endpoint()],
            retryPolicy: RetryPolicy(maxAttempts: 2, baseDelay: 0.05, maxDelay: 0.1))
    }

    @Test("GetAuthorizationToken decodes moto's token to AWS / <account>-auth-token; its 2015 expiry means one hour")
    func authorizationToken() async throws {
        try await withHTTPClient { (httpClient: HTTPClient) async throws in
            let before = Date()
            let token = try await client(httpClient).getAuthorizationToken()
            #expect(token.username == "AWS")
            #expect(token.password == "123456789012-auth-token")
            #expect(try #require(token.expiresAt) < before)
            #expect(abs(token.validUntil.timeIntervalSince(token.fetchedAt) - 3600) < 1)
        }
    }

    @Test("CreateRepository with settings, DescribeRepositories, and the repository errors")
    func createAndDescribeRepository() async throws {
        try await withHTTPClient { (httpClient: HTTPClient) async throws in
            let ecr = try client(httpClient)
            let name = uniqueRepository("smimg/aws-create")
            let created = try await ecr.createRepository(
                .init(
                    repositoryName: name, tags: [.init(key: "team", value: "ml")], imageTagMutability: .immutable,
                    scanOnPush: true, encryptionConfiguration: .init(encryptionType: .aes256)))
            #expect(created.repository?.repositoryName == name)
            // moto writes the URI with the global suffix even in China: check account, region and path.
            let uri = try #require(created.repository?.repositoryUri)
            #expect(uri.hasPrefix("123456789012.dkr.ecr.cn-north-1.") && uri.hasSuffix("/\(name)"), "\(uri)")

            let described = try await ecr.describeRepositories(.init(repositoryNames: [name]))
            let repository = try #require(described.repositories?.first)
            #expect(repository.imageTagMutability == .immutable)
            #expect(repository.imageScanningConfiguration?.scanOnPush == true)
            #expect(repository.encryptionConfiguration?.encryptionType == .aes256)
            #expect(repository.createdAt != nil)

            do {
                _ = try await ecr.createRepository(.init(repositoryName: name))
                Issue.record("creating the repository twice should fail")
            } catch let error as ECRError {
                guard case .repositoryAlreadyExists = error else { Issue.record("got \(error)"); return }
            }
            do {
                _ = try await ecr.describeRepositories(.init(repositoryNames: [name + "-missing"]))
                Issue.record("expected not found")
            } catch let error as ECRError {
                guard case .repositoryNotFound = error else { Issue.record("got \(error)"); return }
            }
        }
    }

    @Test("PutImage, DescribeImages and BatchDeleteImage")
    func imagesLifecycle() async throws {
        try await withHTTPClient { (httpClient: HTTPClient) async throws in
            let ecr = try client(httpClient)
            let name = uniqueRepository("smimg/aws-images")
            _ = try await ecr.createRepository(.init(repositoryName: name))
            let manifest = #"{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a","size":2},"layers":[]}"#
            let put = try await ecr.putImage(
                .init(repositoryName: name, imageManifest: manifest, imageManifestMediaType: "application/vnd.oci.image.manifest.v1+json", imageTag: "v1"))
            #expect(put.image?.imageId?.imageTag == "v1")

            let images = try await ecr.describeImages(.init(repositoryName: name))
            let detail = try #require(images.imageDetails?.first)
            #expect(detail.imageTags == ["v1"])
            #expect(detail.imagePushedAt != nil)

            let deleted = try await ecr.batchDeleteImage(.init(repositoryName: name, imageIds: [.tag("v1")]))
            #expect(deleted.imageIds?.first?.imageTag == "v1")
            #expect(deleted.failures?.isEmpty ?? true)
            let after = try await ecr.describeImages(.init(repositoryName: name))
            #expect(after.imageDetails?.isEmpty ?? true)

            let missing = try await ecr.batchDeleteImage(.init(repositoryName: name, imageIds: [.tag("never")]))
            #expect(missing.failures?.first?.failureCode == "ImageNotFound")
        }
    }

    @Test("moto lacks BatchCheckLayerAvailability and the layer uploads: reported as unsupported, not retried forever")
    func motoLacksLayerActions() async throws {
        try await withHTTPClient { (httpClient: HTTPClient) async throws in
            let ecr = try client(httpClient)
            do {
                _ = try await ecr.batchCheckLayerAvailability(.init(repositoryName: "anything", layerDigests: ["sha256:00"]))
                Issue.record("moto answered BatchCheckLayerAvailability")
            } catch let error as ECRError {
                guard case .unsupportedOperation = error else { Issue.record("got \(error)"); return }
            }
            do {
                _ = try await ecr.initiateLayerUpload(.init(repositoryName: "anything"))
                Issue.record("moto answered InitiateLayerUpload")
            } catch let error as ECRError {
                guard case .unsupportedOperation = error else { Issue.record("got \(error)"); return }
            }
        }
    }

    @Test("the registry authenticator gets moto's token for a China registry host")
    func authenticatorAgainstMoto() async throws {
        try await withHTTPClient { (httpClient: HTTPClient) async throws in
            let authenticator = ECRRegistryAuthenticator(
                httpClient: httpClient, credentials: StaticCredentialsProvider(Self.credentials),
                environment: ["AWS_ENDPOINT_URL_ECR": try HarnessMoto.endpoint()])
            let credentials = try await authenticator.credentials(for: "123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn")
            #expect(credentials?.username == "AWS")
            #expect(credentials?.password == "123456789012-auth-token")
        }
    }

    @Test("a profile's role_arn + source_profile assumes the role through STS")
    func assumeRoleThroughProfile() async throws {
        let files = try SharedFiles(
            config: """
                [profile deploy]
                role_arn = arn:aws-cn:iam::123456789012:role/deploy
                source_profile = base
                role_session_name = smimg-test
                region = cn-north-1
                """,
            credentials: "[base]\naws_access_key_id = AKIDBASE\naws_secret_access_key = baseSecret\n")
        defer { files.remove() }
        try await withHTTPClient { (httpClient: HTTPClient) async throws in
            let chain = DefaultCredentialsChain(
                profile: "deploy", environment: files.environment(["AWS_ENDPOINT_URL_STS": try HarnessMoto.endpoint()]),
                httpClient: httpClient)
            let credentials = try await chain.credentials()
            #expect(credentials.accessKeyId != "AKIDBASE")
            #expect(credentials.accessKeyId.hasPrefix("ASIA"))
            #expect(credentials.sessionToken?.isEmpty == false)
            #expect(try #require(credentials.expiration) > Date())
            // Temporary credentials work against ECR in the same region.
            let ecr = try ECRClient(
                httpClient: httpClient, region: "cn-north-1", credentials: chain,
                environment: ["AWS_ENDPOINT_URL_ECR": try HarnessMoto.endpoint()])
            #expect(try await ecr.getAuthorizationToken().username == "AWS")
        }
    }

    @Test("AWS_WEB_IDENTITY_TOKEN_FILE + AWS_ROLE_ARN assume the role with the web identity token")
    func webIdentityFromEnvironment() async throws {
        let files = try SharedFiles()
        defer { files.remove() }
        let tokenFile = try files.write("oidc-token", "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJyZXBvOmV4YW1wbGUifQ.c2ln\n")
        try await withHTTPClient { (httpClient: HTTPClient) async throws in
            let chain = DefaultCredentialsChain(
                environment: files.environment([
                    "AWS_ENDPOINT_URL_STS": try HarnessMoto.endpoint(), "AWS_WEB_IDENTITY_TOKEN_FILE": tokenFile,
                    "AWS_ROLE_ARN": "arn:aws:iam::123456789012:role/github", "AWS_ROLE_SESSION_NAME": "gha-run",
                    "AWS_REGION": "us-east-1",
                ]), httpClient: httpClient)
            let credentials = try await chain.credentials()
            #expect(credentials.accessKeyId.hasPrefix("ASIA"))
            #expect(credentials.sessionToken?.isEmpty == false)
            #expect(await chain.resolvedSourceName?.hasPrefix("web identity") == true)
        }
    }
}
