import Builder
import Foundation
import OCI
import Recipe
import Testing
import TestSupport

/// A build on `scratch` depends only on the recipe and its files, so its config digest is
/// pinned: it holds the layers' diffIDs (the uncompressed tars), so a change in layer writing or
/// config encoding shows up here. The manifest digest also covers the gzip bytes, which ISA-L
/// encodes with CPU-specific code (AVX2 and AVX-512 machines give different, equally valid
/// streams): it is checked to repeat on this machine, not pinned.
@Suite struct PinnedDigestTests {
    static let expectedConfigDigest = "sha256:e23ad069a41246134d546a5b8e86cf1c83ba090e3fd03ef5c297b33fe807ddf3"

    static func writeFixture(in directory: TemporaryDirectory) throws {
        let files: [(String, String, Int)] = [
            ("site/index.html", "<h1>hello</h1>\n", 0o644),
            ("site/bin/serve", "#!/bin/sh\nexec httpd -f\n", 0o755),
            ("site/notes.tmp", "not copied\n", 0o644),
            ("motd", "welcome\n", 0o600),
        ]
        for (path, text, mode) in files {
            let url = directory.appending(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
            try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: url.path)
        }
        try Data("""
            image: example.com/pinned/site:1
            base: scratch
            steps:
              - name: Site
                copy: {src: site/, dest: /srv/www/, exclude: ["*.tmp"]}
              - copy: {src: motd, dest: /etc/motd, owner: "0:0"}
              - remove: /srv/www/bin
              - env: {PORT: "8080"}
              - workdir: /srv/www
              - user: "1000:1000"
              - entrypoint: [/srv/www/bin/serve]
              - cmd: [--port, "8080"]
              - labels: {org.opencontainers.image.title: pinned}
              - expose: [8080]
              - stopsignal: TERM
            """.utf8).write(to: directory.appending("recipe.yml"))
    }

    static func build(_ directory: TemporaryDirectory, cache: String) async throws -> BuildResult {
        let recipe = try Recipe.load(path: directory.path + "/recipe.yml")
        let builder = ImageBuilder(
            recipe: recipe, store: ContentStore(root: cache), registry: nil, options: BuildOptions(sourceDateEpoch: 0))
        return try await builder.build()
    }

    @Test func aScratchRecipeBuildsToThePinnedDigestOnEveryMachine() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try Self.writeFixture(in: directory)
        let result = try await Self.build(directory, cache: directory.path + "/cache-a")
        let configDigest = DigestHasher.digest(of: result.image.configBytes).description
        #expect(configDigest == Self.expectedConfigDigest, "config: \(String(decoding: result.image.configBytes, as: UTF8.self))")
        #expect(result.image.manifest.mediaType == MediaType.ociManifest)
        #expect(result.steps.map(\.cache) == [.miss, .miss, .miss] + Array(repeating: nil, count: 8))

        let again = try await Self.build(directory, cache: directory.path + "/cache-b")
        #expect(again.digest == result.digest)
        let cached = try await Self.build(directory, cache: directory.path + "/cache-a")
        #expect(cached.digest == result.digest)
        #expect(cached.steps.compactMap(\.cache) == [.hit, .hit, .hit])
    }

    @Test func theConfigCarriesEachStepAndTheHistoryMatchesTheLayers() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try Self.writeFixture(in: directory)
        let result = try await Self.build(directory, cache: directory.path + "/cache")
        let config = try #require(try JSONSerialization.jsonObject(with: Data(result.image.configBytes)) as? [String: Any])
        let settings = try #require(config["config"] as? [String: Any])
        #expect(settings["Env"] as? [String] == ["PORT=8080"])
        #expect(settings["WorkingDir"] as? String == "/srv/www")
        #expect(settings["User"] as? String == "1000:1000")
        #expect(settings["Entrypoint"] as? [String] == ["/srv/www/bin/serve"])
        #expect(settings["Cmd"] as? [String] == ["--port", "8080"])
        #expect((settings["ExposedPorts"] as? [String: Any])?.keys.sorted() == ["8080/tcp"])
        #expect(settings["StopSignal"] as? String == "SIGTERM")
        let labels = settings["Labels"] as? [String: String] ?? [:]
        #expect(labels["org.opencontainers.image.title"] == "pinned")
        #expect(labels["org.opencontainers.image.base.name"] == nil)
        #expect(labels["dev.smimg.recipe.digest"] == result.recipeDigest.description)
        #expect(config["architecture"] as? String == "amd64" && config["os"] as? String == "linux")
        let diffIDs = (config["rootfs"] as? [String: Any])?["diff_ids"] as? [String] ?? []
        #expect(diffIDs.count == 3)
        let history = config["history"] as? [[String: Any]] ?? []
        #expect(history.count == 11)
        #expect(history.filter { ($0["empty_layer"] as? Bool) != true }.count == 3)
        #expect(history.first?["created_by"] as? String == "copy site -> /srv/www/")
        #expect(history.first?["comment"] as? String == "Site")
    }
}
