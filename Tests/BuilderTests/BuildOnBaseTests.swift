import Foundation
import Testing
import TestSupport

/// Builds on the harness's multi-layer base image, checked with umoci and skopeo.
@Suite(.enabled(if: Harness.isUp)) struct BuildOnBaseTests {
    static func recipe(base: String) -> String {
        """
        image: 127.0.0.1:1/built/app:1
        base: \(base)
        steps:
          - name: Application
            copy:
              src: app/
              dest: /app/extra/
              owner: "1000:100"
              exclude: ["*.pyc"]
          - remove: [/app/README, /etc/os-release]
          - copy: {src: settings.conf, dest: /etc/app/settings.conf, mode: "0600"}
          - env: {FIXTURE: built, NEW: "1"}
          - entrypoint: [/app/extra/run.sh]
          - labels: {org.example.team: ml}
        """
    }

    static func makeFixture(base: String) throws -> BuildFixture {
        let fixture = try BuildFixture()
        try fixture.write("app/run.sh", "#!/bin/sh\necho run\n", mode: 0o700)
        try fixture.write("app/lib/util.txt", "util\n", mode: 0o600)
        try fixture.write("app/lib/cache.pyc", "compiled\n")
        try fixture.write("settings.conf", "level=1\n")
        try fixture.writeRecipe(recipe(base: base))
        return fixture
    }

    static var multilayer: String { get throws { try Harness.registry() + "/fixtures/multilayer:v1" } }

    @Test func theBuiltImageHasTheStepsFilesConfigAndConsistentHistory() async throws {
        let fixture = try Self.makeFixture(base: try Self.multilayer)
        defer { fixture.remove() }
        let layout = fixture.path + "/image"
        let result = try await fixture.build(["--output", "oci:\(layout):test", "--json"])
        #expect(result.status == 0, "\(result.output)")

        let bundle = fixture.path + "/bundle"
        try await Command.check(["umoci", "unpack", "--image", "\(layout):test", bundle])
        let rootfs = bundle + "/rootfs"
        func attributes(_ path: String) throws -> (Int, Int, Int) {
            let item = try FileManager.default.attributesOfItem(atPath: rootfs + path)
            return ((item[.posixPermissions] as? Int) ?? -1, (item[.ownerAccountID] as? Int) ?? -1, (item[.groupOwnerAccountID] as? Int) ?? -1)
        }
        #expect(try attributes("/app/extra/run.sh") == (0o755, 1000, 100))
        #expect(try attributes("/app/extra/lib/util.txt") == (0o644, 1000, 100))
        #expect(try attributes("/app/extra/lib") == (0o755, 1000, 100))
        #expect(try attributes("/etc/app/settings.conf") == (0o600, 0, 0))
        #expect(try attributes("/etc/app") == (0o755, 0, 0))
        #expect(!FileManager.default.fileExists(atPath: rootfs + "/app/extra/lib/cache.pyc"))
        #expect(!FileManager.default.fileExists(atPath: rootfs + "/app/README"))
        #expect(!FileManager.default.fileExists(atPath: rootfs + "/etc/os-release"))
        #expect(!FileManager.default.fileExists(atPath: rootfs + "/usr/share/fixture/remove-me.txt"))
        #expect(FileManager.default.fileExists(atPath: rootfs + "/app/data.bin"))
        #expect(FileManager.default.fileExists(atPath: rootfs + "/etc/passwd"))
        #expect(try attributes("/bin/hello").0 == 0o755)

        let configText = try await Command.check(["skopeo", "inspect", "--config", "oci:\(layout):test"]).stdout
        let config = try #require(try JSONSerialization.jsonObject(with: Data(configText.utf8)) as? [String: Any])
        let settings = try #require(config["config"] as? [String: Any])
        let env = settings["Env"] as? [String] ?? []
        #expect(env == ["FIXTURE=built", "PATH=/usr/local/bin:/usr/bin:/bin", "NEW=1"])
        #expect(settings["Entrypoint"] as? [String] == ["/app/extra/run.sh"])
        #expect(settings["Cmd"] == nil, "an entrypoint step clears the inherited cmd")
        #expect(settings["WorkingDir"] as? String == "/app")
        let labels = settings["Labels"] as? [String: String] ?? [:]
        #expect(labels["org.example.team"] == "ml")
        #expect(labels["org.opencontainers.image.title"] == "smimg-fixture")
        #expect(labels["org.opencontainers.image.base.name"] == (try Self.multilayer))
        #expect(labels["org.opencontainers.image.base.digest"] == Harness.value("SMIMG_TEST_FIXTURE_MULTILAYER_DIGEST"))
        #expect(labels["dev.smimg.recipe.digest"]?.hasPrefix("sha256:") == true)
        #expect(config["created"] as? String == "1970-01-01T00:00:00Z")

        let rootfsInfo = try #require(config["rootfs"] as? [String: Any])
        let diffIDs = rootfsInfo["diff_ids"] as? [String] ?? []
        let history = config["history"] as? [[String: Any]] ?? []
        #expect(diffIDs.count == 4 + 3)
        #expect(history.filter { ($0["empty_layer"] as? Bool) != true }.count == diffIDs.count)
        let baseConfigText = try await Command.check(["skopeo", "inspect", "--config", "--tls-verify=false", "docker://\(try Self.multilayer)"]).stdout
        let baseConfig = try #require(try JSONSerialization.jsonObject(with: Data(baseConfigText.utf8)) as? [String: Any])
        let baseHistory = (baseConfig["history"] as? [Any])?.count ?? 0
        #expect(history.count == baseHistory + 6)
        #expect(history.last?["created_by"] as? String == "labels org.example.team=ml")
        #expect(history[baseHistory]["comment"] as? String == "Application")
        #expect(history[baseHistory]["created_by"] as? String == "copy app -> /app/extra/")
        let manifestText = try await Command.check(["skopeo", "inspect", "--raw", "oci:\(layout):test"]).stdout
        let manifest = try #require(try JSONSerialization.jsonObject(with: Data(manifestText.utf8)) as? [String: Any])
        #expect((manifest["layers"] as? [Any])?.count == diffIDs.count)
        #expect(manifest["mediaType"] as? String == "application/vnd.oci.image.manifest.v1+json")
    }

    @Test func theSameRecipeGivesTheSameDigestTwiceAndWithAFreshCache() async throws {
        let fixture = try Self.makeFixture(base: try Self.multilayer)
        defer { fixture.remove() }
        let first = try BuildFixture.json(try await fixture.build(["--json"]))
        let second = try BuildFixture.json(try await fixture.build(["--json"]))
        let fresh = try BuildFixture.json(try await fixture.build(["--json"], cache: fixture.path + "/other-cache"))
        let digest = try #require(first["digest"] as? String)
        #expect(second["digest"] as? String == digest)
        #expect(fresh["digest"] as? String == digest)
        #expect(BuildFixture.steps(second).compactMap { $0["cache"] as? String } == ["hit", "hit", "hit"])
        #expect(BuildFixture.steps(fresh).compactMap { $0["cache"] as? String } == ["miss", "miss", "miss"])
        let uncached = try BuildFixture.json(try await fixture.build(["--json", "--no-cache"]))
        #expect(uncached["digest"] as? String == digest)
        #expect(BuildFixture.steps(uncached).compactMap { $0["cache"] as? String } == ["disabled", "disabled", "disabled"])
    }

    @Test func changingOneCopiedFileRebuildsOnlyItsStepAndThePushSendsOnlyThatLayerAndTheConfig() async throws {
        let fixture = try Self.makeFixture(base: try Self.multilayer)
        defer { fixture.remove() }
        let registry2 = try Harness.registry2()
        let repository = uniqueRepository("built/app")
        let first = try await fixture.build(["--json", "--output", "docker://\(registry2)/\(repository):1"])
        #expect(first.status == 0, "\(first.output)")

        try fixture.write("settings.conf", "level=2\n")
        let log = try Harness.require("SMIMG_TEST_REGISTRY2_LOG")
        let before = try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n").count
        let second = try await fixture.build(["--json", "--output", "docker://\(registry2)/\(repository):2"])
        #expect(second.status == 0, "\(second.output)")
        let summary = try BuildFixture.json(second)
        #expect(BuildFixture.steps(summary).compactMap { $0["cache"] as? String } == ["hit", "hit", "miss"])
        #expect(summary["digest"] as? String != (try BuildFixture.json(first))["digest"] as? String)

        let lines = try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n").dropFirst(before)
        let uploads = lines.filter { $0.contains("\"PUT /v2/\(repository)/blobs/uploads/") && $0.contains("\" 201 ") }
        #expect(uploads.count == 2, "\(uploads.joined(separator: "\n"))")
        #expect(try await Skopeo.manifestDigest("docker://\(registry2)/\(repository):2") == summary["digest"] as? String)
    }

    @Test func aConfigOnlyRecipePushedToTheBaseRegistryMountsTheBaseLayersWithoutDownloadingThem() async throws {
        let fixture = try BuildFixture()
        defer { fixture.remove() }
        let registry = try Harness.registry()
        // A private copy of the base, so that requests for it come from this test only.
        let baseRepository = uniqueRepository("fixtures/private-base")
        try await Command.check([
            "skopeo", "copy", "--src-tls-verify=false", "--dest-tls-verify=false",
            "docker://\(try Self.multilayer)", "docker://\(registry)/\(baseRepository):v1",
        ])
        try fixture.writeRecipe("""
            image: \(registry)/\(uniqueRepository("built/config-only")):1
            base: \(registry)/\(baseRepository):v1
            steps:
              - env: {MODE: production}
              - cmd: [--serve]
            """)
        let log = try Harness.require("SMIMG_TEST_REGISTRY_LOG")
        let before = try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n").count
        let result = try await fixture.build(["--push", "--json"])
        #expect(result.status == 0, "\(result.output)")
        let lines = try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n").dropFirst(before)
        let baseBlobGets = lines.filter { $0.contains("\"GET /v2/\(baseRepository)/blobs/") }
        #expect(baseBlobGets.count == 1, "only the config is read: \(baseBlobGets.joined(separator: "\n"))")
        let mounts = lines.filter { $0.contains("from=\(baseRepository)") && $0.contains("\" 201 ") }
        #expect(mounts.count == 4, "\(lines.joined(separator: "\n"))")
    }

    @Test func aDockerBaseGivesADockerManifest() async throws {
        let fixture = try Self.makeFixture(base: try Harness.registry() + "/fixtures/docker:v1")
        defer { fixture.remove() }
        let target = "\(try Harness.registry2())/\(uniqueRepository("built/docker")):1"
        let result = try await fixture.build(["--output", "docker://\(target)"])
        #expect(result.status == 0, "\(result.output)")
        let manifestText = try await Skopeo.rawManifest(target)
        let manifest = try #require(try JSONSerialization.jsonObject(with: Data(manifestText.utf8)) as? [String: Any])
        #expect(manifest["mediaType"] as? String == "application/vnd.docker.distribution.manifest.v2+json")
        let layers = manifest["layers"] as? [[String: Any]] ?? []
        #expect(layers.count == 7)
        #expect(Set(layers.compactMap { $0["mediaType"] as? String }) == ["application/vnd.docker.image.rootfs.diff.tar.gzip"])
        #expect((manifest["config"] as? [String: Any])?["mediaType"] as? String == "application/vnd.docker.container.image.v1+json")
        // skopeo reads it back through the Docker types.
        let configText = try await Command.check(["skopeo", "inspect", "--config", "--tls-verify=false", "docker://\(target)"]).stdout
        let config = try JSONSerialization.jsonObject(with: Data(configText.utf8)) as? [String: Any]
        let labels = (config?["config"] as? [String: Any])?["Labels"] as? [String: String]
        #expect(labels?["org.example.team"] == "ml")
    }
}

/// Builds on an `oci:` layout base (a copy of the harness's fixture layout): no registry at all.
@Suite(.enabled(if: Harness.isUp)) struct BuildOnLayoutTests {
    @Test func aLayoutBaseBuildsAndTheDryRunThenReportsEveryLayerCached() async throws {
        let fixture = try BuildOnBaseTests.makeFixture(base: "oci:base:multilayer")
        defer { fixture.remove() }
        try await Command.check(["cp", "-a", try Harness.require("SMIMG_TEST_FIXTURE_LAYOUT"), fixture.path + "/base"])
        let before = try BuildFixture.json(try await fixture.build(["--dry-run", "--json"]))
        #expect(BuildFixture.steps(before).compactMap { $0["cache"] as? String } == ["miss", "unknown", "unknown"])
        #expect(!FileManager.default.fileExists(atPath: fixture.cache))

        let layout = fixture.path + "/image"
        let built = try await fixture.build(["--json", "--output", "oci:\(layout)"])
        #expect(built.status == 0, "\(built.output)")
        let summary = try BuildFixture.json(built)
        #expect(summary["baseDigest"] as? String == Harness.value("SMIMG_TEST_FIXTURE_MULTILAYER_DIGEST"))
        // The tag defaults to the recipe image's.
        let bundle = fixture.path + "/bundle"
        try await Command.check(["umoci", "unpack", "--image", "\(layout):1", bundle])
        #expect(FileManager.default.fileExists(atPath: bundle + "/rootfs/app/extra/run.sh"))
        #expect(!FileManager.default.fileExists(atPath: bundle + "/rootfs/app/README"))

        let after = try BuildFixture.json(try await fixture.build(["--dry-run", "--json"]))
        #expect(BuildFixture.steps(after).compactMap { $0["cache"] as? String } == ["hit", "hit", "hit"])
        let layers = BuildFixture.steps(summary).compactMap { $0["layer"] as? String }
        #expect(BuildFixture.steps(after).compactMap { $0["layer"] as? String } == layers)
    }

    @Test func aPlatformTheBaseLacksIsNotFound() async throws {
        let fixture = try BuildOnBaseTests.makeFixture(base: try Harness.registry() + "/fixtures/multiarch:v1")
        defer { fixture.remove() }
        let result = try await fixture.build(["--platform", "linux/s390x"])
        #expect(result.status == 3, "\(result.output)")
        #expect(result.stderr.contains("has no linux/s390x variant (it has: linux/amd64, linux/arm64)"), "\(result.stderr)")
    }
}

/// The base's filesystem view is saved in the build cache and reused on the next build.
@Suite(.enabled(if: Harness.isUp)) struct SavedViewTests {
    @Test func aRebuildReusesTheSavedViewAndGivesTheSameImage() async throws {
        let fixture = try BuildOnBaseTests.makeFixture(base: try BuildOnBaseTests.multilayer)
        defer { fixture.remove() }
        let first = try BuildFixture.json(try await fixture.build(["--json"]))
        let views = fixture.cache + "/cache/views"
        let saved = try FileManager.default.contentsOfDirectory(atPath: views)
        #expect(saved.count == 1)
        let text = try String(contentsOfFile: views + "/" + saved[0], encoding: .utf8)
        #expect(text.hasPrefix("smimg.filesystem/1\n"))
        #expect(text.contains("/app/data.bin\t"))
        #expect(!text.contains("remove-me.txt"), "the base's own whiteout is applied")

        // A changed file rebuilds its step against the saved view: same result as a fresh cache.
        try fixture.write("settings.conf", "level=3\n")
        let second = try BuildFixture.json(try await fixture.build(["--json"]))
        let fresh = try BuildFixture.json(try await fixture.build(["--json"], cache: fixture.path + "/fresh-cache"))
        #expect(second["digest"] as? String == fresh["digest"] as? String)
        #expect(second["digest"] as? String != first["digest"] as? String)
    }
}
