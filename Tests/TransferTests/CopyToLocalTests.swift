import Foundation
import Testing
import TestSupport

/// Writing images to disk: OCI layouts (read by umoci and skopeo) and docker-archive tarballs.
@Suite("Copy to OCI layouts and archives", .enabled(if: Harness.isUp))
struct CopyToLocalTests {
    @Test("an oci: layout holds the same manifest digest, and umoci unpacks it")
    func ociLayoutReadableByUmoci() async throws {
        let directory = try TemporaryDirectory("layout")
        defer { directory.remove() }
        let source = "\(try Harness.registry())/fixtures/multilayer:v1"
        let layout = directory.appending("image").path
        let result = try await Command.smimg(["copy", source, "oci:\(layout):v1"])
        #expect(result.status == 0, "\(result.output)")
        #expect(try await Skopeo.manifestDigest("oci:\(layout):v1") == (try await Skopeo.manifestDigest("docker://\(source)")))
        let bundle = directory.appending("bundle").path
        try await Command.check(["umoci", "unpack", "--rootless", "--image", "\(layout):v1", bundle])
        #expect(FileManager.default.fileExists(atPath: "\(bundle)/rootfs"))
        try await Command.check(["skopeo", "inspect", "oci:\(layout):v1"])
    }

    @Test("an index goes into a layout whole and comes back out with the same digest")
    func indexRoundTripsThroughLayout() async throws {
        let directory = try TemporaryDirectory("layout-index")
        defer { directory.remove() }
        let source = "\(try Harness.registry())/fixtures/multiarch:v1"
        let layout = directory.appending("image").path
        #expect(try await Command.smimg(["copy", source, "oci:\(layout):multi"]).status == 0)
        let target = "\(try Harness.registry2())/\(uniqueRepository("fromlayout"))/img:v1"
        let back = try await Command.smimg(["copy", "oci:\(layout):multi", target])
        #expect(back.status == 0, "\(back.output)")
        #expect(try await Skopeo.rawManifest(target) == (try await Skopeo.rawManifest(source)))
    }

    @Test("a second image in the same layout keeps the first")
    func layoutKeepsOtherTags() async throws {
        let directory = try TemporaryDirectory("layout-two")
        defer { directory.remove() }
        let layout = directory.appending("image").path
        let registry = try Harness.registry()
        #expect(try await Command.smimg(["copy", "\(registry)/fixtures/multilayer:v1", "oci:\(layout):one"]).status == 0)
        #expect(try await Command.smimg(["copy", "\(registry)/fixtures/multiarch:v1", "oci:\(layout):two"]).status == 0)
        try await Command.check(["skopeo", "inspect", "oci:\(layout):one"])
        try await Command.check(["skopeo", "inspect", "oci:\(layout):two"])
    }

    @Test("a docker-archive has what docker load reads, and skopeo accepts it")
    func dockerArchiveLayout() async throws {
        let directory = try TemporaryDirectory("archive")
        defer { directory.remove() }
        let archive = directory.appending("image.tar").path
        let source = "\(try Harness.registry())/fixtures/multilayer:v1"
        let result = try await Command.smimg(["copy", source, "docker-archive:\(archive):example/app:1.0"])
        #expect(result.status == 0, "\(result.output)")
        let listing = try await Command.check(["tar", "-tf", archive]).stdout.split(separator: "\n").map(String.init)
        #expect(listing.contains("manifest.json"))
        let extracted = directory.appending("x").path
        try FileManager.default.createDirectory(atPath: extracted, withIntermediateDirectories: true)
        try await Command.check(["tar", "-xf", archive, "-C", extracted])
        let manifestData = try Data(contentsOf: URL(fileURLWithPath: "\(extracted)/manifest.json"))
        let entries = try #require(try JSONSerialization.jsonObject(with: manifestData) as? [[String: Any]])
        let entry = try #require(entries.first)
        #expect(entry["RepoTags"] as? [String] == ["example/app:1.0"])
        let config = try #require(entry["Config"] as? String)
        let layers = try #require(entry["Layers"] as? [String])
        #expect(listing.contains(config))
        #expect(layers.count >= 4)
        for layer in layers { #expect(listing.contains(layer)) }
        // The config's diff_ids line up with the layers, as docker load checks.
        let configJSON = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: "\(extracted)/\(config)"))) as? [String: Any]
        let diffIDs = (configJSON?["rootfs"] as? [String: Any])?["diff_ids"] as? [String]
        #expect(diffIDs?.count == layers.count)
        try await Command.check(["skopeo", "inspect", "docker-archive:\(archive)"])
        let copied = directory.appending("fromarchive").path
        try await Command.check(["skopeo", "copy", "-q", "docker-archive:\(archive)", "oci:\(copied):x"])
    }

    @Test("an index written to a docker-archive takes the requested platform")
    func archiveOfIndexNeedsOnePlatform() async throws {
        let directory = try TemporaryDirectory("archive-index")
        defer { directory.remove() }
        let archive = directory.appending("arm.tar").path
        let result = try await Command.smimg(["copy", "--platform", "linux/arm64", "\(try Harness.registry())/fixtures/multiarch:v1", "docker-archive:\(archive)"])
        #expect(result.status == 0, "\(result.output)")
        let config = try await Command.check(["skopeo", "inspect", "--config", "docker-archive:\(archive)"]).stdout
        #expect(config.contains("arm64"))
    }
}
