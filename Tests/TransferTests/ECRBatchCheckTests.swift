import Foundation
import Testing
import TestSupport

/// Pushing to ECR with BatchCheckLayerAvailability: the ECR double (scripts/ecr-double.py) in
/// front of moto answers it from the harness's "ECR" registry; with `--mode
/// unsupported-batch-check`, or with moto alone, the action is not implemented and smimg falls
/// back to one registry HEAD per blob. The registry's access log shows what smimg sent (the
/// double's own HEADs carry the user agent `ecr-double` and are not counted).
@Suite("ECR BatchCheckLayerAvailability", .enabled(if: Harness.isUp))
struct ECRBatchCheckTests {
    static let host = "123456789012.dkr.ecr.cn-northwest-1.amazonaws.com.cn"

    struct Setup {
        let directory: TemporaryDirectory
        let registriesConfig: String
        let environment: [String: String]
        let log: AccessLog

        func remove() { directory.remove() }
    }

    static func setUp(endpoint: String) throws -> Setup {
        let directory = try TemporaryDirectory("ecr-batch")
        let config = directory.appending("registries.yml").path
        try "registries:\n  - prefix: \(host)\n    location: \(try Harness.require("SMIMG_TEST_ECR_REGISTRY"))\n"
            .write(toFile: config, atomically: true, encoding: .utf8)
        let environment = [
            "AWS_ACCESS_KEY_ID": "AKIAIOSFODNN7EXAMPLE", "AWS_SECRET_ACCESS_KEY": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY",
            "AWS_ENDPOINT_URL_ECR": endpoint, "AWS_EC2_METADATA_DISABLED": "true", "HOME": directory.path,
            "AWS_CONFIG_FILE": directory.appending("aws-config").path,
            "AWS_SHARED_CREDENTIALS_FILE": directory.appending("aws-credentials").path,
        ]
        return Setup(
            directory: directory, registriesConfig: config, environment: environment,
            log: AccessLog(path: try Harness.require("SMIMG_TEST_ECR_REGISTRY_LOG")))
    }

    struct Report: Decodable {
        struct Blobs: Decodable { var total: Int; var copied: Int; var skipped: Int }
        var blobs: Blobs
    }

    /// What one push did: smimg's report and the blob requests the registry saw from smimg.
    struct Push {
        var status: Int32
        var output: String
        var stderr: String
        var report: Report?
        /// Blob HEADs, whatever the answer (401 challenges included).
        var blobHeads: Int
        /// Blob HEADs answered 200 (present) and 404 (missing).
        var blobHeadsFound: Int
        var blobHeadsMissing: Int
        /// Finished blob uploads (PUT answered 201).
        var blobUploads: Int
    }

    /// Counts of smimg's blob requests for a repository in the registry's log.
    static func blobRequests(_ log: AccessLog, _ repository: String) throws -> [Int] {
        let blobs = "/v2/\(repository)/blobs/"
        return [
            try log.count("HEAD", pathPrefix: blobs), try log.count("HEAD", pathPrefix: blobs, status: 200),
            try log.count("HEAD", pathPrefix: blobs, status: 404),
            try log.count("PUT", pathPrefix: blobs + "uploads/", status: 201),
        ]
    }

    static func push(_ setup: Setup, repository: String, tag: String, extra: [String] = []) async throws -> Push {
        let before = try blobRequests(setup.log, repository)
        let result = try await Command.smimg(
            ["copy", "--json", "--registries-config", setup.registriesConfig] + extra
                + ["\(try Harness.registry())/fixtures/multilayer:v1", "\(host)/\(repository):\(tag)"],
            environment: setup.environment)
        let after = try blobRequests(setup.log, repository)
        return Push(
            status: result.status, output: result.output, stderr: result.stderr,
            report: try? JSONDecoder().decode(Report.self, from: Data(result.stdout.utf8)),
            blobHeads: after[0] - before[0], blobHeadsFound: after[1] - before[1], blobHeadsMissing: after[2] - before[2],
            blobUploads: after[3] - before[3])
    }

    @Test("a second push of the same image asks BatchCheckLayerAvailability once and sends no blob HEAD and no upload")
    func secondPushAsksInBulk() async throws {
        let double = try ECRDouble()
        defer { double.stop() }
        let setup = try Self.setUp(endpoint: double.endpoint)
        defer { setup.remove() }
        let repository = "\(uniqueRepository("bulk"))/app"

        let first = try await Self.push(setup, repository: repository, tag: "v1")
        #expect(first.status == 0, "\(first.output)")
        let total = try #require(first.report?.blobs.total)
        #expect(total == 5, "the multilayer fixture has a config and 4 layers")
        #expect(try double.calls("BatchCheckLayerAvailability") == 1)
        // ECR said every blob was missing: uploaded straight away, no HEAD first.
        #expect(first.report?.blobs.copied == total)
        #expect(first.blobHeads == 0)
        #expect(first.blobUploads == total)

        let second = try await Self.push(setup, repository: repository, tag: "v2")
        #expect(second.status == 0, "\(second.output)")
        #expect(try double.calls("BatchCheckLayerAvailability") == 2)
        #expect(try double.counter("checked_digests") == 2 * total)
        #expect(second.report?.blobs.skipped == total)
        #expect(second.blobHeads == 0)
        #expect(second.blobUploads == 0)
        // The double's answers came from the registry (its own HEADs, not smimg's).
        #expect(try double.counter("registry_heads") == 2 * total)
        // CreateRepository/DescribeRepositories and GetAuthorizationToken went through to moto.
        #expect(try double.counter("proxied") >= 2)
    }

    @Test("when the ECR endpoint does not support BatchCheckLayerAvailability, the push checks each blob with a registry HEAD, silently")
    func unsupportedFallsBackToHeads() async throws {
        let double = try ECRDouble(mode: "unsupported-batch-check")
        defer { double.stop() }
        let setup = try Self.setUp(endpoint: double.endpoint)
        defer { setup.remove() }
        let repository = "\(uniqueRepository("nobulk"))/app"

        let first = try await Self.push(setup, repository: repository, tag: "v1")
        #expect(first.status == 0, "\(first.output)")
        let total = try #require(first.report?.blobs.total)
        #expect(try double.calls("BatchCheckLayerAvailability") == 1, "asked once, not retried")
        #expect(first.blobHeadsMissing == total)
        #expect(first.blobUploads == total)
        #expect(!first.stderr.contains("BatchCheckLayerAvailability"), "the fallback is silent: \(first.stderr)")

        let second = try await Self.push(setup, repository: repository, tag: "v2", extra: ["--verbose"])
        #expect(second.status == 0, "\(second.output)")
        #expect(second.report?.blobs.skipped == total)
        #expect(second.blobHeadsFound == total)
        #expect(second.blobUploads == 0)
        #expect(second.stderr.contains("BatchCheckLayerAvailability is not supported"), "--verbose shows the fallback")
        #expect(try double.counter("registry_heads") == 0, "the double never answered from the registry")
    }

    @Test("against moto alone (no BatchCheckLayerAvailability) a repeated push is skipped through registry HEADs")
    func plainMotoFallsBack() async throws {
        let setup = try Self.setUp(endpoint: try Harness.require("SMIMG_TEST_MOTO"))
        defer { setup.remove() }
        let repository = "\(uniqueRepository("moto"))/app"
        let first = try await Self.push(setup, repository: repository, tag: "v1")
        #expect(first.status == 0, "\(first.output)")
        let total = try #require(first.report?.blobs.total)
        let second = try await Self.push(setup, repository: repository, tag: "v2")
        #expect(second.status == 0, "\(second.output)")
        #expect(second.report?.blobs.skipped == total)
        #expect(second.blobHeadsFound == total)
        #expect(second.blobUploads == 0)
    }
}
