import Foundation
import Testing
import TestSupport

/// Where a build goes: `--push` (with `--tag`), `docker-archive:`, and nowhere by default.
@Suite(.enabled(if: Harness.isUp)) struct BuildOutputTests {
    static func scratchFixture(image: String) throws -> BuildFixture {
        let fixture = try BuildFixture()
        try fixture.write("files/greeting.txt", "hello\n")
        try fixture.writeRecipe("""
            image: \(image)
            base: scratch
            steps:
              - copy: {src: files/, dest: /srv/}
              - cmd: [/srv/greeting.txt]
            """)
        return fixture
    }

    @Test func pushWritesTheRecipeImageAndEveryExtraTag() async throws {
        let repository = "\(try Harness.registry2())/\(uniqueRepository("built/tags"))"
        let fixture = try Self.scratchFixture(image: "\(repository):1.0")
        defer { fixture.remove() }
        let result = try await fixture.build(["--push", "--tag", "latest", "--json"])
        #expect(result.status == 0, "\(result.output)")
        let digest = try BuildFixture.json(result)["digest"] as? String
        #expect(try await Skopeo.hasTag(repository, "1.0"))
        #expect(try await Skopeo.hasTag(repository, "latest"))
        #expect(try await Skopeo.manifestDigest("docker://\(repository):latest") == digest)
    }

    @Test func aDockerArchiveOutputIsNamedAfterTheRecipeImage() async throws {
        let fixture = try Self.scratchFixture(image: "example.com/team/app:2")
        defer { fixture.remove() }
        let archive = fixture.path + "/app.tar"
        let result = try await fixture.build(["--output", "docker-archive:\(archive)"])
        #expect(result.status == 0, "\(result.output)")
        let manifest = try await Command.check(["tar", "-xOf", archive, "manifest.json"]).stdout
        #expect(manifest.contains("\"RepoTags\":[\"example.com/team/app:2\"]"), "\(manifest)")
    }

    @Test func withoutOutputOrPushTheImageIsBuiltButWrittenNowhere() async throws {
        let fixture = try Self.scratchFixture(image: "example.com/team/app:3")
        defer { fixture.remove() }
        let result = try await fixture.build([])
        #expect(result.status == 0, "\(result.output)")
        #expect(result.stderr.contains("written nowhere: give --output DEST or --push"), "\(result.stderr)")
        let tagWithoutPush = try await fixture.build(["--tag", "latest"])
        #expect(tagWithoutPush.status == 64, "\(tagWithoutPush.output)")
    }
}
