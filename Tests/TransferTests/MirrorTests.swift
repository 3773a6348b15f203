import Foundation
import Testing
import TestSupport

/// `smimg mirror` between two partitions on loopback: the harness's "ECR" registry and moto
/// play the global account 123456789012 in us-east-1, "ECR-CN" and moto-cn the China account
/// 210987654321 in cn-northwest-1. Each side's control plane is an ECR double that accepts only
/// that side's access key, reached through the profile's `endpoint_url`; each registry accepts
/// only its own account's token. A mirror that mixed up the sides could not work.
@Suite("mirror across partitions", .enabled(if: Harness.isUp), .serialized)
struct MirrorTests {
    static let globalHost = "123456789012.dkr.ecr.us-east-1.amazonaws.com"
    static let chinaHost = "210987654321.dkr.ecr.cn-northwest-1.amazonaws.com.cn"
    static let globalKey = "AKIAGLOBALEXAMPLE001"
    static let chinaKey = "AKIACHINAEXAMPLE0001"
    static let secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY"

    final class Setup: @unchecked Sendable {
        let directory: TemporaryDirectory
        let global: ECRDouble
        let china: ECRDouble
        let registriesConfig: String
        let environment: [String: String]
        let prefix = uniqueRepository("m")

        init() throws {
            directory = try TemporaryDirectory("mirror")
            global = try ECRDouble(side: .global, extra: ["--require-access-key", MirrorTests.globalKey])
            china = try ECRDouble(side: .china, extra: ["--require-access-key", MirrorTests.chinaKey])
            registriesConfig = directory.appending("registries.yml").path
            try """
                registries:
                  - prefix: \(MirrorTests.globalHost)
                    location: \(try Harness.require("SMIMG_TEST_ECR_REGISTRY"))
                  - prefix: \(MirrorTests.chinaHost)
                    location: \(try Harness.require("SMIMG_TEST_ECR_CN_REGISTRY"))

                """.write(toFile: registriesConfig, atomically: true, encoding: .utf8)
            try """
                [profile global]
                region = us-east-1
                endpoint_url = \(global.endpoint)
                [profile china]
                region = cn-northwest-1
                endpoint_url = \(china.endpoint)
                [profile mixed]
                region = cn-northwest-1
                endpoint_url = \(china.endpoint)

                """.write(to: directory.appending("aws-config"), atomically: true, encoding: .utf8)
            try """
                [global]
                aws_access_key_id = \(MirrorTests.globalKey)
                aws_secret_access_key = \(MirrorTests.secret)
                [china]
                aws_access_key_id = \(MirrorTests.chinaKey)
                aws_secret_access_key = \(MirrorTests.secret)
                [mixed]
                aws_access_key_id = \(MirrorTests.globalKey)
                aws_secret_access_key = \(MirrorTests.secret)

                """.write(to: directory.appending("aws-credentials"), atomically: true, encoding: .utf8)
            environment = [
                "HOME": directory.path, "SMIMG_CACHE": directory.appending("cache").path,
                "AWS_CONFIG_FILE": directory.appending("aws-config").path,
                "AWS_SHARED_CREDENTIALS_FILE": directory.appending("aws-credentials").path,
                "AWS_EC2_METADATA_DISABLED": "true", "AWS_ACCESS_KEY_ID": "", "AWS_SECRET_ACCESS_KEY": "",
                "AWS_ENDPOINT_URL_ECR": "", "AWS_ENDPOINT_URL": "",
            ]
        }

        func stop() {
            global.stop()
            china.stop()
            directory.remove()
        }

        /// The global registry's own address and login, for seeding and checking with skopeo.
        var globalRegistry: String { Harness.value("SMIMG_TEST_ECR_REGISTRY")! }
        var globalCreds: String { "AWS:\(Harness.value("SMIMG_TEST_ECR_PASSWORD")!)" }
        var chinaRegistry: String { Harness.value("SMIMG_TEST_ECR_CN_REGISTRY")! }
        var chinaCreds: String { "AWS:\(Harness.value("SMIMG_TEST_ECR_CN_PASSWORD")!)" }

        /// Pushes a harness fixture into the global registry.
        func seed(_ fixture: String, as repositoryAndTag: String) async throws {
            try await Command.check([
                "skopeo", "copy", "--all", "--src-tls-verify=false", "--dest-tls-verify=false", "--dest-creds", globalCreds,
                "docker://\(try Harness.registry())/fixtures/\(fixture)", "docker://\(globalRegistry)/\(repositoryAndTag)",
            ])
        }

        func writeConfig(_ body: String) throws -> String {
            let path = directory.appending("mirror.yml").path
            try body.write(toFile: path, atomically: true, encoding: .utf8)
            return path
        }

        func mirror(_ arguments: [String]) async throws -> CommandResult {
            try await Command.smimg(["mirror", "--registries-config", registriesConfig] + arguments, environment: environment)
        }
    }

    /// moto-cn's answer for a repository: its ARN, or "missing".
    static func chinaRepositoryARN(_ name: String) async throws -> String {
        let answer = try await MotoECR.describe(name, endpoint: try Harness.require("SMIMG_TEST_MOTO_CN"), region: "cn-northwest-1")
        return answer.split(separator: " ").first.map(String.init) ?? answer
    }

    static func json(_ text: String) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] ?? [:]
    }

    @Test("a multi-image config mirrors global to China: identical digests, repositories created, report right; a rerun sends nothing")
    func mirrorsConfigAcrossPartitions() async throws {
        let setup = try Setup()
        defer { setup.stop() }
        let training = "\(setup.prefix)/pytorch-training"
        for tag in ["1.13.1-gpu-py39", "2.1.0-gpu-py310", "2.1.2-gpu-py310", "2.2.0-gpu-py310", "2.3.0-gpu-py311"] {
            try await setup.seed("multilayer:v1", as: "\(training):\(tag)")
        }
        try await setup.seed("docker:v1", as: "\(training):2.2.0-cpu-py310")
        try await setup.seed("multiarch:v1", as: "\(setup.prefix)/tools:v1")
        let config = try setup.writeConfig("""
            source:
              registry: \(Self.globalHost)
              profile: global
            destination:
              registry: \(Self.chinaHost)
              profile: china
              prefix: mirror/
            images:
              - repository: \(training)
                tag_regex: '-gpu-'
                semver: '>=2.1, <2.3'
                latest: 2
              - repository: \(setup.prefix)/tools
                to: \(setup.prefix)/renamed-tools
                tags: [v1]
            """)
        let result = try await setup.mirror(["--config", config, "--json"])
        #expect(result.status == 0, "\(result.output)")
        let report = try Self.json(result.stdout)
        let totals = report["totals"] as? [String: Any] ?? [:]
        #expect(totals["images"] as? Int == 3)
        #expect(totals["copied"] as? Int == 3)
        #expect(totals["failed"] as? Int == 0)
        let images = report["images"] as? [[String: Any]] ?? []
        #expect(images.compactMap { $0["destination"] as? String } == [
            "\(Self.chinaHost)/mirror/\(training):2.2.0-gpu-py310", "\(Self.chinaHost)/mirror/\(training):2.1.2-gpu-py310",
            "\(Self.chinaHost)/\(setup.prefix)/renamed-tools:v1",
        ])
        // Every digest is the source's, byte for byte, read by skopeo on each side.
        for (source, destination) in [
            ("\(training):2.2.0-gpu-py310", "mirror/\(training):2.2.0-gpu-py310"),
            ("\(training):2.1.2-gpu-py310", "mirror/\(training):2.1.2-gpu-py310"),
            ("\(setup.prefix)/tools:v1", "\(setup.prefix)/renamed-tools:v1"),
        ] {
            let wanted = try await Skopeo.manifestDigest(
                "docker://\(setup.globalRegistry)/\(source)", extra: ["--creds", setup.globalCreds])
            let got = try await Skopeo.manifestDigest(
                "docker://\(setup.chinaRegistry)/\(destination)", extra: ["--creds", setup.chinaCreds])
            #expect(wanted == got, "\(destination)")
        }
        // The multi-platform index came whole: both platforms' manifests are there.
        let index = try Self.json(try await Skopeo.rawManifest(
            "\(setup.chinaRegistry)/\(setup.prefix)/renamed-tools:v1", extra: ["--creds", setup.chinaCreds]))
        #expect((index["manifests"] as? [Any])?.count == 2)
        // Tags outside the selection stayed behind.
        #expect(try await !Skopeo.hasTag(
            "\(setup.chinaRegistry)/mirror/\(training)", "2.1.0-gpu-py310", extra: ["--creds", setup.chinaCreds]))
        // The China control plane created the repositories, in the China partition.
        #expect(try await Self.chinaRepositoryARN("mirror/\(training)")
            == "arn:aws-cn:ecr:cn-northwest-1:210987654321:repository/mirror/\(training)")
        #expect(try await Self.chinaRepositoryARN("\(setup.prefix)/renamed-tools").hasSuffix("renamed-tools"))
        // Blob presence was asked of the China side in bulk.
        #expect(try setup.china.calls("BatchCheckLayerAvailability") >= 1)

        // A second run finds every image in place and sends nothing.
        let again = try await setup.mirror(["--config", config, "--json"])
        #expect(again.status == 0, "\(again.output)")
        let second = try Self.json(again.stdout)["totals"] as? [String: Any] ?? [:]
        #expect(second["upToDate"] as? Int == 3)
        #expect(second["bytesTransferred"] as? Int == 0)
    }

    @Test("each side accepts only its own credentials: swapping a profile fails with an authentication error")
    func sidesKeepTheirOwnCredentials() async throws {
        let setup = try Setup()
        defer { setup.stop() }
        let repository = "\(setup.prefix)/app"
        try await setup.seed("multilayer:v1", as: "\(repository):v1")
        let source = "\(Self.globalHost)/\(repository):v1"
        let destination = "\(Self.chinaHost)/\(repository)"
        let good = try await setup.mirror(["--src-profile", "global", "--dest-profile", "china", source, destination])
        #expect(good.status == 0, "\(good.output)")
        #expect(try setup.global.counter("rejected_keys") == 0)
        #expect(try setup.china.counter("rejected_keys") == 0)

        // Each side logged in to its own control plane.
        #expect(try setup.global.calls("GetAuthorizationToken") >= 1)
        #expect(try setup.china.calls("GetAuthorizationToken") >= 1)

        // The China profile for the source: its token is the China account's, which the global
        // registry refuses.
        let wrongSource = try await setup.mirror(["--src-profile", "china", "--dest-profile", "china", source, destination + "-2"])
        #expect(wrongSource.status == 2, "\(wrongSource.output)")
        // The global profile for the destination: the global account's token, refused in China.
        let wrongDestination = try await setup.mirror(
            ["--src-profile", "global", "--dest-profile", "global", source, destination + "-3"])
        #expect(wrongDestination.status == 2, "\(wrongDestination.output)")
        // The global key sent to the China control plane: refused there.
        let wrongKey = try await setup.mirror(["--src-profile", "global", "--dest-profile", "mixed", source, destination + "-4"])
        #expect(wrongKey.status == 2, "\(wrongKey.output)")
        #expect(try setup.china.counter("rejected_keys") >= 1)
        // And the global registry refuses the China token outright (the registries differ too).
        let crossed = try await Command.run([
            "skopeo", "inspect", "--raw", "--tls-verify=false", "--creds", setup.chinaCreds,
            "docker://\(setup.globalRegistry)/\(repository):v1",
        ])
        #expect(crossed.status != 0)
        // Nothing of the failed runs reached the China side.
        #expect(try await Self.chinaRepositoryARN("\(repository)-2") == "missing")
        #expect(try await Self.chinaRepositoryARN("\(repository)-3") == "missing")
        #expect(try await Self.chinaRepositoryARN("\(repository)-4") == "missing")
    }

    @Test("--dry-run prints images, blobs and bytes to send, and writes nothing")
    func dryRunWritesNothing() async throws {
        let setup = try Setup()
        defer { setup.stop() }
        let repository = "\(setup.prefix)/app"
        try await setup.seed("multilayer:v1", as: "\(repository):v1")
        let result = try await setup.mirror([
            "--src-profile", "global", "--dest-profile", "china", "--dry-run", "--json",
            "\(Self.globalHost)/\(repository):v1", "\(Self.chinaHost)/\(repository)",
        ])
        #expect(result.status == 0, "\(result.output)")
        let report = try Self.json(result.stdout)
        #expect(report["dryRun"] as? Bool == true)
        let image = (report["images"] as? [[String: Any]])?.first ?? [:]
        #expect(image["status"] as? String == "planned")
        let blobs = image["blobs"] as? [String: Any] ?? [:]
        #expect(blobs["total"] as? Int == 5)
        #expect(blobs["copied"] as? Int == 5)
        #expect(((image["bytes"] as? [String: Any])?["transferred"] as? Int ?? 0) > 1_000_000)
        #expect(try await Self.chinaRepositoryARN(repository) == "missing")
        #expect(try setup.china.calls("CreateRepository") == 0)
        #expect(try setup.china.calls("PutImage") == 0)
    }

    @Test("a large layer interrupted mid-upload resumes from ECR's last acknowledged part, not byte 0")
    func partUploadResumesAfterKill() async throws {
        let setup = try Setup()
        defer { setup.stop() }
        // A slow China link: each part takes a while, so the mirror can be killed between parts.
        let slow = try ECRDouble(side: .china, extra: [
            "--require-access-key", Self.chinaKey, "--part-size", "\(5 << 20)", "--part-delay", "0.4",
        ])
        defer { slow.stop() }
        try """
            [profile global]
            region = us-east-1
            endpoint_url = \(setup.global.endpoint)
            [profile china]
            region = cn-northwest-1
            endpoint_url = \(slow.endpoint)

            """.write(to: setup.directory.appending("aws-config"), atomically: true, encoding: .utf8)
        let layout = setup.directory.appending("layout").path
        try SyntheticImage.writeLayout(at: layout, tag: "big", layerSizes: [(23 << 20) + 12345, 4096])
        let repository = "\(setup.prefix)/big"
        try await Command.check([
            "skopeo", "copy", "--dest-tls-verify=false", "--dest-creds", setup.globalCreds,
            "oci:\(layout):big", "docker://\(setup.globalRegistry)/\(repository):v1",
        ])
        let arguments = [
            "mirror", "--registries-config", setup.registriesConfig, "--src-profile", "global", "--dest-profile", "china",
            "--ecr-part-size-threshold", "\(8 << 20)", "--staging-threshold", "\(8 << 20)", "--quiet",
            "\(Self.globalHost)/\(repository):v1", "\(Self.chinaHost)/\(repository)",
        ]
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Command.smimgPath)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(setup.environment) { $1 }
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Kill it once two parts are in.
        let deadline = Date().addingTimeInterval(60)
        while try slow.calls("UploadLayerPart") < 2, Date() < deadline, process.isRunning {
            try await Task.sleep(for: .milliseconds(50))
        }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        let partsBefore = try slow.calls("UploadLayerPart")
        #expect(partsBefore >= 2 && partsBefore < 5, "parts before the kill: \(partsBefore)")
        #expect(try await !Skopeo.hasTag(
            "\(setup.chinaRegistry)/\(repository)", "v1", extra: ["--creds", setup.chinaCreds]))

        let resumed = try await Command.smimg(arguments.filter { $0 != "--quiet" }, environment: setup.environment)
        #expect(resumed.status == 0, "\(resumed.output)")
        #expect(resumed.output.contains("resuming the ECR layer upload"), "\(resumed.output)")
        // One upload, started once; the second run sent only the parts after the acknowledged ones.
        #expect(try slow.calls("InitiateLayerUpload") == 1)
        #expect(try slow.calls("CompleteLayerUpload") == 1)
        let partsAfter = try slow.calls("UploadLayerPart") - partsBefore
        #expect(partsAfter >= 1 && partsAfter <= 5 - partsBefore + 1, "parts after the kill: \(partsAfter)")
        let wanted = try await Skopeo.manifestDigest(
            "docker://\(setup.globalRegistry)/\(repository):v1", extra: ["--creds", setup.globalCreds])
        let got = try await Skopeo.manifestDigest(
            "docker://\(setup.chinaRegistry)/\(repository):v1", extra: ["--creds", setup.chinaCreds])
        #expect(wanted == got)
        // The staged copy of the large layer is gone once the image is in place.
        let staged = setup.directory.appending("cache/blobs/sha256").path
        #expect(((try? FileManager.default.contentsOfDirectory(atPath: staged)) ?? []).isEmpty)
    }
}
