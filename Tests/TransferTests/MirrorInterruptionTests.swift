import Foundation
import Testing
import TestSupport

/// A mirror killed at random points and run again: it completes, sends only what was missing,
/// and at no point does the destination have a tag whose manifest lacks a blob.
@Suite("mirror interrupted", .enabled(if: Harness.isUp))
struct MirrorInterruptionTests {
    /// Every blob and child manifest each tagged image in `repository` needs, checked with curl.
    static func taggedImagesAreComplete(registry: String, repository: String, tags: [String]) async throws -> [String] {
        var problems: [String] = []
        for tag in tags {
            let head = try await Command.run([
                "curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "-H",
                "Accept: application/vnd.oci.image.manifest.v1+json, application/vnd.oci.image.index.v1+json",
                "http://\(registry)/v2/\(repository)/manifests/\(tag)",
            ])
            guard head.stdout == "200" else { continue }  // not tagged yet: fine
            let manifest = try await Skopeo.rawManifest("\(registry)/\(repository):\(tag)")
            let object = try JSONSerialization.jsonObject(with: Data(manifest.utf8)) as? [String: Any] ?? [:]
            var digests = [(object["config"] as? [String: Any])?["digest"] as? String].compactMap { $0 }
            digests += (object["layers"] as? [[String: Any]] ?? []).compactMap { $0["digest"] as? String }
            for digest in digests {
                let blob = try await Command.run([
                    "curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "-I", "http://\(registry)/v2/\(repository)/blobs/\(digest)",
                ])
                if blob.stdout != "200" { problems.append("\(repository):\(tag) lacks \(digest)") }
            }
        }
        return problems
    }

    /// Finished blob uploads to `repository` in a registry's access log.
    static func completedUploads(log: String, repository: String) throws -> Int {
        let text = try String(contentsOfFile: log, encoding: .utf8)
        return text.split(separator: "\n").filter {
            $0.contains("\"PUT /v2/\(repository)/blobs/uploads/") && $0.contains("HTTP/1.1\" 201")
        }.count
    }

    @Test("killed at random points, a config mirror resumes, never re-sends a finished blob, and never tags an incomplete image")
    func killedMirrorResumes() async throws {
        let directory = try TemporaryDirectory("mirror-kill")
        defer { directory.remove() }
        let source = try Harness.registry()
        let destination = try Harness.registry2()
        let prefix = uniqueRepository("kill")
        let images = ["one", "two", "three"]
        var blobCount = 0
        for (index, name) in images.enumerated() {
            let layout = directory.appending("layout-\(name)").path
            let sizes = (0..<5).map { (3 << 20) + $0 * 4099 + index }
            try SyntheticImage.writeLayout(at: layout, tag: "v1", layerSizes: sizes)
            blobCount += sizes.count + 1  // layers and the config
            try await Command.check([
                "skopeo", "copy", "--dest-tls-verify=false", "oci:\(layout):v1", "docker://\(source)/\(prefix)/\(name):v1",
            ])
        }
        let config = directory.appending("mirror.yml").path
        try """
            source: {registry: "\(source)"}
            destination: {registry: "\(destination)", prefix: "copy/"}
            images:
            \(images.map { "  - {repository: \(prefix)/\($0), tags: [v1]}" }.joined(separator: "\n"))

            """.write(toFile: config, atomically: true, encoding: .utf8)
        let environment = ["SMIMG_CACHE": directory.appending("cache").path, "HOME": directory.path]
        // Staging on (2 MiB): a kill can also land while a blob is being staged.
        let arguments = ["mirror", "--config", config, "--staging-threshold", "\(2 << 20)", "--jobs", "2", "--quiet"]

        var kills = 0
        for _ in 0..<4 {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: Command.smimgPath)
            process.arguments = arguments
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            try await Task.sleep(for: .milliseconds(Int.random(in: 80...700)))
            if process.isRunning {
                kill(process.processIdentifier, SIGKILL)
                kills += 1
            }
            process.waitUntilExit()
            for name in images {
                let problems = try await Self.taggedImagesAreComplete(registry: destination, repository: "copy/\(prefix)/\(name)", tags: ["v1"])
                #expect(problems.isEmpty, "\(problems)")
            }
        }
        let final = try await Command.smimg(Array(arguments.dropLast()) + ["--json"], environment: environment)
        #expect(final.status == 0, "\(final.output)")
        for name in images {
            #expect(try await Skopeo.manifestDigest("docker://\(source)/\(prefix)/\(name):v1")
                == (try await Skopeo.manifestDigest("docker://\(destination)/copy/\(prefix)/\(name):v1")))
        }
        // Across all runs, each blob was uploaded to completion exactly once.
        let log = try Harness.require("SMIMG_TEST_REGISTRY2_LOG")
        let uploads = try images.map { try Self.completedUploads(log: log, repository: "copy/\(prefix)/\($0)") }.reduce(0, +)
        #expect(uploads == blobCount, "completed uploads \(uploads) for \(blobCount) blobs after \(kills) kills")
        // Nothing staged is left behind.
        let staged = directory.appending("cache/blobs/sha256").path
        let left = (try? FileManager.default.contentsOfDirectory(atPath: staged)) ?? []
        #expect(left.isEmpty, "staged blobs left: \(left)")
    }

    @Test("--keep-going copies the rest past a failing image and exits non-zero; without it the rest is not attempted")
    func keepGoing() async throws {
        let destination = try Harness.registry2()
        let prefix = uniqueRepository("keep")
        let directory = try TemporaryDirectory("mirror-keep")
        defer { directory.remove() }
        let config = directory.appending("mirror.yml").path
        try """
            source: {registry: "\(try Harness.registry())"}
            destination: {registry: "\(destination)", prefix: "\(prefix)/"}
            images:
              - {repository: fixtures/multilayer, tags: [no-such-tag, v1]}
              - {repository: fixtures/docker, tags: [v1]}

            """.write(toFile: config, atomically: true, encoding: .utf8)
        let stopped = try await Command.smimg(["mirror", "--config", config, "--json"], environment: ["HOME": directory.path])
        #expect(stopped.status == 3, "\(stopped.output)")
        let first = try JSONSerialization.jsonObject(with: Data(stopped.stdout.utf8)) as? [String: Any] ?? [:]
        #expect((first["totals"] as? [String: Any])?["notAttempted"] as? Int == 2)
        let going = try await Command.smimg(["mirror", "--config", config, "--keep-going"], environment: ["HOME": directory.path])
        #expect(going.status == 3, "\(going.output)")
        #expect(going.stdout.contains("3 images: 2 copied, 0 up to date, 1 failed"), "\(going.stdout)")
        #expect(try await Skopeo.hasTag("\(destination)/\(prefix)/fixtures/docker", "v1"))
    }
}

@Suite("mirror usage errors")
struct MirrorUsageTests {
    @Test("a configuration error names file, line and field and exits 64 before anything is copied")
    func configurationErrorIsUsageError() async throws {
        let directory = try TemporaryDirectory("mirror-usage")
        defer { directory.remove() }
        let config = directory.appending("mirror.yml").path
        try "source: {registry: a.example}\ndestination: {registry: b.example}\nimages:\n  - {repository: x, tag: [v1]}\n"
            .write(toFile: config, atomically: true, encoding: .utf8)
        let result = try await Command.smimg(["mirror", "--config", config], environment: ["HOME": directory.path])
        #expect(result.status == 64, "\(result.output)")
        #expect(result.stderr.contains("\(config):4:"), "\(result.stderr)")
        #expect(result.stderr.contains("images[0].tag: unknown key"), "\(result.stderr)")
        #expect(result.stderr.contains("did you mean 'tags'"), "\(result.stderr)")
    }

    @Test("SRC and --config together, or neither, are usage errors")
    func argumentsAreChecked() async throws {
        #expect(try await Command.smimg(["mirror"]).status == 64)
        #expect(try await Command.smimg(["mirror", "a.example/x:1", "b.example/y", "--config", "m.yml"]).status == 64)
        #expect(try await Command.smimg(["mirror", "oci:/tmp/x:1", "b.example/y"]).status == 64)
    }
}
