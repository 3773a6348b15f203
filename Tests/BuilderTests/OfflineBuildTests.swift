import Foundation
import Testing
import TestSupport

/// Builds that need no network: `base: scratch` recipes and `--dry-run` plans.
@Suite struct OfflineBuildTests {
    static var recipesDirectory: String { Harness.packageRoot.appendingPathComponent("recipes").path }

    static var exampleRecipes: [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: recipesDirectory)) ?? []
        return names.filter { $0.hasSuffix(".yml") }.sorted()
    }

    @Test func everyExampleRecipePlansOfflineWithDryRun() async throws {
        #expect(Self.exampleRecipes.count >= 4)
        for name in Self.exampleRecipes {
            let fixture = try BuildFixture()
            defer { fixture.remove() }
            // The registry bases (Docker Hub, ECR) are unreachable here: a plan that tried to
            // fetch them would fail.
            let result = try await fixture.build(["--dry-run"], recipe: "\(Self.recipesDirectory)/\(name)")
            #expect(result.status == 0, "\(name): \(result.output)")
            #expect(result.stdout.contains("steps"), "\(name): \(result.stdout)")
            #expect(!FileManager.default.fileExists(atPath: fixture.cache), "\(name): a dry run wrote the cache")
        }
    }

    @Test func theDLCRecipePlansWithItsResolvedReference() async throws {
        let fixture = try BuildFixture()
        defer { fixture.remove() }
        let result = try await fixture.build(["--dry-run", "--json"], recipe: "\(Self.recipesDirectory)/pytorch-dlc-training.yml")
        #expect(result.status == 0, "\(result.output)")
        let plan = try BuildFixture.json(result)
        let base = try #require(plan["base"] as? String)
        #expect(base.hasPrefix("763104351884.dkr.ecr.us-east-1.amazonaws.com/pytorch-training:2.1"), "\(base)")
        let steps = BuildFixture.steps(plan)
        #expect(steps.count == 6)
        #expect(steps.first?["note"] as? String == "wheels are resolved and installed when building")
    }

    @Test(.enabled(if: Harness.isUp))
    func localHelloBuildsToALayoutOfflineAndUmociUnpacksIt() async throws {
        let fixture = try BuildFixture()
        defer { fixture.remove() }
        let layout = fixture.path + "/hello"
        let result = try await fixture.build(["--output", "oci:\(layout):1", "--json"], recipe: "\(Self.recipesDirectory)/local-hello.yml")
        #expect(result.status == 0, "\(result.output)")
        let summary = try BuildFixture.json(result)
        let digest = try #require(summary["digest"] as? String)
        let bundle = fixture.path + "/bundle"
        try await Command.check(["umoci", "unpack", "--image", "\(layout):1", bundle])
        let script = try FileManager.default.attributesOfItem(atPath: bundle + "/rootfs/hello/hello.sh")
        #expect((script[.posixPermissions] as? Int) == 0o755)
        #expect(FileManager.default.fileExists(atPath: bundle + "/rootfs/hello/hello.txt"))
        #expect(try await Skopeo.manifestDigest("oci:\(layout):1") == digest)

        // The second build reuses the layer and gives the same image.
        let again = try await fixture.build(["--json"], recipe: "\(Self.recipesDirectory)/local-hello.yml")
        let second = try BuildFixture.json(again)
        #expect(second["digest"] as? String == digest)
        #expect(BuildFixture.steps(second).first?["cache"] as? String == "hit")
    }
}
