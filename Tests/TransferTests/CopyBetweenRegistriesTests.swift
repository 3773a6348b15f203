import Foundation
import Testing
import TestSupport

/// `smimg copy` between two real registries (Debian's distribution server), checked with skopeo.
@Suite("Copy between registries", .enabled(if: Harness.isUp))
struct CopyBetweenRegistriesTests {
    @Test("a multi-layer image copies to another registry with the same manifest digest")
    func multiLayerImageKeepsDigest() async throws {
        let source = "\(try Harness.registry())/fixtures/multilayer:v1"
        let target = "\(try Harness.registry2())/\(uniqueRepository("copy"))/multilayer:v1"
        let result = try await Command.smimg(["copy", source, target, "--json"])
        #expect(result.status == 0, "\(result.output)")
        let report = try JSONDecoder().decode(Report.self, from: Data(result.stdout.utf8))
        #expect(report.digest == (try await Skopeo.manifestDigest("docker://\(source)")))
        #expect(try await Skopeo.manifestDigest("docker://\(target)") == report.digest)
        #expect(report.blobs.copied >= 4)
        // skopeo can read the whole image back, config and layers.
        try await Command.check(["skopeo", "copy", "-q", "--src-tls-verify=false", "docker://\(target)", "oci:\(try TemporaryDirectory("readback").path):x"])
    }

    @Test("a two-platform index copies whole: index and both manifests keep their digests")
    func indexCopiesAllPlatforms() async throws {
        let source = "\(try Harness.registry())/fixtures/multiarch:v1"
        let target = "\(try Harness.registry2())/\(uniqueRepository("index"))/multiarch:v1"
        let result = try await Command.smimg(["copy", source, target, "--json"])
        #expect(result.status == 0, "\(result.output)")
        let sourceIndex = try await Skopeo.rawManifest(source)
        #expect(try await Skopeo.rawManifest(target) == sourceIndex)
        let index = try JSONSerialization.jsonObject(with: Data(sourceIndex.utf8)) as? [String: Any]
        let manifests = index?["manifests"] as? [[String: Any]] ?? []
        #expect(manifests.count == 2)
        for entry in manifests {
            let digest = try #require(entry["digest"] as? String)
            let repository = target.replacingOccurrences(of: ":v1", with: "")
            #expect(try await Skopeo.manifestDigest("docker://\(repository)@\(digest)") == digest)
        }
    }

    @Test("--platform copies one platform, tagged as that platform's manifest")
    func platformSelection() async throws {
        let source = "\(try Harness.registry())/fixtures/multiarch:v1"
        let target = "\(try Harness.registry2())/\(uniqueRepository("arm"))/only:v1"
        let result = try await Command.smimg(["copy", "--platform", "linux/arm64", source, target])
        #expect(result.status == 0, "\(result.output)")
        let index = try JSONSerialization.jsonObject(with: Data(try await Skopeo.rawManifest(source).utf8)) as? [String: Any]
        let arm = (index?["manifests"] as? [[String: Any]] ?? []).first {
            (($0["platform"] as? [String: Any])?["architecture"] as? String) == "arm64"
        }
        #expect(try await Skopeo.manifestDigest("docker://\(target)") == arm?["digest"] as? String)
        let missing = try await Command.smimg(["copy", "--platform", "linux/s390x", source, target])
        #expect(missing.status == 3)
        #expect(missing.stderr.contains("linux/amd64"))
    }

    @Test("Docker schema 2 media types are kept as they are")
    func dockerMediaTypesKept() async throws {
        let source = "\(try Harness.registry())/fixtures/docker:v1"
        let target = "\(try Harness.registry2())/\(uniqueRepository("docker"))/img:v1"
        let result = try await Command.smimg(["copy", source, target])
        #expect(result.status == 0, "\(result.output)")
        let raw = try await Skopeo.rawManifest(target)
        #expect(raw.contains("application/vnd.docker.distribution.manifest.v2+json"))
        #expect(try await Skopeo.manifestDigest("docker://\(target)") == (try await Skopeo.manifestDigest("docker://\(source)")))
    }

    @Test("a second copy of the same image transfers no blob bytes and says so")
    func secondCopyTransfersNothing() async throws {
        let source = "\(try Harness.registry())/fixtures/multilayer:v1"
        let target = "\(try Harness.registry2())/\(uniqueRepository("again"))/img:v1"
        let first = try await Command.smimg(["copy", source, target, "--json"])
        #expect(first.status == 0, "\(first.output)")
        let second = try await Command.smimg(["copy", source, target, "--json"])
        #expect(second.status == 0, "\(second.output)")
        let report = try JSONDecoder().decode(Report.self, from: Data(second.stdout.utf8))
        #expect(report.bytes.transferred == 0)
        #expect(report.blobs.copied == 0)
        #expect(report.blobs.skipped == report.blobs.total)
        let human = try await Command.smimg(["copy", source, target])
        #expect(human.stderr.contains("copied 0 blobs (0 bytes)"))
    }

    @Test("copying inside one registry mounts blobs instead of sending them")
    func sameRegistryMounts() async throws {
        let registry = try Harness.registry()
        let source = "\(registry)/fixtures/multilayer:v1"
        let target = "\(registry)/\(uniqueRepository("mount"))/img:v1"
        let result = try await Command.smimg(["copy", source, target, "--json"])
        #expect(result.status == 0, "\(result.output)")
        let report = try JSONDecoder().decode(Report.self, from: Data(result.stdout.utf8))
        #expect(report.blobs.mounted == report.blobs.total)
        #expect(report.bytes.transferred == 0)
    }

    @Test("tags lists a repository's tags and digest prints the manifest digest")
    func tagsAndDigest() async throws {
        let registry = try Harness.registry2()
        let repository = "\(registry)/\(uniqueRepository("tags"))/img"
        for tag in ["a", "b", "c"] {
            try await Command.check([Command.smimgPath, "copy", "-q", "\(try Harness.registry())/fixtures/multilayer:v1", "\(repository):\(tag)"])
        }
        let tags = try await Command.smimg(["tags", repository])
        #expect(tags.status == 0)
        #expect(tags.stdout.split(separator: "\n").sorted() == ["a", "b", "c"])
        let digest = try await Command.smimg(["digest", "\(repository):b"])
        #expect(digest.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == (try await Skopeo.manifestDigest("docker://\(repository):b")))
    }
}

/// The parts of `smimg copy --json` the tests read.
struct Report: Decodable {
    struct Blobs: Decodable { var total: Int; var copied: Int; var skipped: Int; var mounted: Int }
    struct Bytes: Decodable { var total: Int64; var transferred: Int64; var skipped: Int64 }
    var digest: String
    var blobs: Blobs
    var bytes: Bytes
}
