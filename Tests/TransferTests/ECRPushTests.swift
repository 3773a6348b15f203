import Foundation
import Testing
import TestSupport

/// Pushing to ECR natively: moto plays the ECR control plane (reached through
/// AWS_ENDPOINT_URL_ECR), the harness's "ECR" registry plays the registry and accepts only the
/// password that moto's token decodes to, mapped from a China-region ECR host name.
@Suite("ECR push", .enabled(if: Harness.isUp))
struct ECRPushTests {
    static let account = "123456789012"
    static let host = "123456789012.dkr.ecr.cn-northwest-1.amazonaws.com.cn"
    static let secretKey = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY"

    struct Setup {
        let directory: TemporaryDirectory
        let registriesConfig: String
        let environment: [String: String]
    }

    static func setUp() throws -> Setup {
        let directory = try TemporaryDirectory("ecr")
        let config = directory.appending("registries.yml").path
        try "registries:\n  - prefix: \(host)\n    location: \(try Harness.require("SMIMG_TEST_ECR_REGISTRY"))\n"
            .write(toFile: config, atomically: true, encoding: .utf8)
        let environment = [
            "AWS_ACCESS_KEY_ID": "AKIAIOSFODNN7EXAMPLE", "AWS_SECRET_ACCESS_KEY": secretKey,
            "AWS_ENDPOINT_URL_ECR": try Harness.require("SMIMG_TEST_MOTO"),
            "AWS_EC2_METADATA_DISABLED": "true", "HOME": directory.path,
            "AWS_CONFIG_FILE": directory.appending("aws-config").path,
            "AWS_SHARED_CREDENTIALS_FILE": directory.appending("aws-credentials").path,
        ]
        return Setup(directory: directory, registriesConfig: config, environment: environment)
    }

    /// moto's answer for a repository in cn-northwest-1: its ARN and scan-on-push, or "missing".
    static func repositoryARN(_ name: String) async throws -> String {
        try await MotoECR.describe(name, endpoint: try Harness.require("SMIMG_TEST_MOTO"), region: "cn-northwest-1")
    }

    @Test("a push to a China ECR host gets a token from the China endpoint, creates the repository and lands")
    func chinaPushCreatesRepository() async throws {
        let setup = try Self.setUp()
        defer { setup.directory.remove() }
        let repository = "\(uniqueRepository("team"))/app"
        let source = "\(try Harness.registry())/fixtures/multiarch:v1"
        let result = try await Command.smimg(
            ["copy", "--registries-config", setup.registriesConfig, "--ecr-scan-on-push", source, "\(Self.host)/\(repository):v1"],
            environment: setup.environment)
        #expect(result.status == 0, "\(result.output)")
        // moto files the repository under the region and partition the request was signed for.
        #expect(try await Self.repositoryARN(repository) == "arn:aws-cn:ecr:cn-northwest-1:\(Self.account):repository/\(repository) True")
        // The registry took the push with the token's password, and holds the same index.
        let creds = "\(try Harness.require("SMIMG_TEST_ECR_USER")):\(try Harness.require("SMIMG_TEST_ECR_PASSWORD"))"
        let pushed = "\(try Harness.require("SMIMG_TEST_ECR_REGISTRY"))/\(repository):v1"
        #expect(try await Skopeo.rawManifest(pushed, extra: ["--creds", creds]) == (try await Skopeo.rawManifest(source)))
    }

    @Test("--no-create-repo leaves the repository alone")
    func noCreateRepository() async throws {
        let setup = try Self.setUp()
        defer { setup.directory.remove() }
        let repository = "\(uniqueRepository("nocreate"))/app"
        let result = try await Command.smimg(
            ["copy", "--registries-config", setup.registriesConfig, "--no-create-repo",
             "\(try Harness.registry())/fixtures/multilayer:v1", "\(Self.host)/\(repository):v1"],
            environment: setup.environment)
        #expect(result.status == 0, "\(result.output)")
        #expect(try await Self.repositoryARN(repository) == "missing")
    }

    @Test("ecr login-password prints the registry password from GetAuthorizationToken")
    func loginPassword() async throws {
        let setup = try Self.setUp()
        defer { setup.directory.remove() }
        let result = try await Command.smimg(["ecr", "login-password", "--region", "cn-northwest-1"], environment: setup.environment)
        #expect(result.status == 0, "\(result.output)")
        #expect(result.stdout == "\(Self.account)-auth-token\n")
    }

    @Test("without AWS credentials the push fails as an authentication error naming what was tried")
    func missingAWSCredentials() async throws {
        let setup = try Self.setUp()
        defer { setup.directory.remove() }
        var environment = setup.environment
        environment["AWS_ACCESS_KEY_ID"] = ""
        environment["AWS_SECRET_ACCESS_KEY"] = ""
        let result = try await Command.smimg(
            ["copy", "--registries-config", setup.registriesConfig, "\(try Harness.registry())/fixtures/multilayer:v1", "\(Self.host)/x/y:v1"],
            environment: environment)
        #expect(result.status == 2, "\(result.output)")
        #expect(result.stderr.lowercased().contains("credentials"))
    }

    @Test("each side of a copy has its own AWS profile")
    func perSideProfile() async throws {
        let setup = try Self.setUp()
        defer { setup.directory.remove() }
        try "[china]\naws_access_key_id = AKIACHINAEXAMPLE\naws_secret_access_key = \(Self.secretKey)\n"
            .write(toFile: setup.directory.appending("aws-credentials").path, atomically: true, encoding: .utf8)
        let source = "\(try Harness.registry())/fixtures/multilayer:v1"
        let good = try await Command.smimg(
            ["copy", "--registries-config", setup.registriesConfig, "--dest-profile", "china", source, "\(Self.host)/\(uniqueRepository("p"))/app:v1"],
            environment: setup.environment)
        #expect(good.status == 0, "\(good.output)")
        let missing = try await Command.smimg(
            ["copy", "--registries-config", setup.registriesConfig, "--dest-profile", "global", source, "\(Self.host)/x/y:v1"],
            environment: setup.environment)
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("global"))
    }

    @Test("no AWS secret or ECR password appears in verbose output")
    func secretsStaySecret() async throws {
        let setup = try Self.setUp()
        defer { setup.directory.remove() }
        let result = try await Command.smimg(
            ["copy", "--verbose", "--registries-config", setup.registriesConfig,
             "\(try Harness.registry())/fixtures/multilayer:v1", "\(Self.host)/\(uniqueRepository("s"))/app:v1"],
            environment: setup.environment)
        #expect(result.status == 0, "\(result.output)")
        #expect(!result.output.contains(Self.secretKey))
        #expect(!result.output.contains("\(Self.account)-auth-token"))
        #expect(!result.output.contains(Data("AWS:\(Self.account)-auth-token".utf8).base64EncodedString()))
    }
}
