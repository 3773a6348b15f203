import Foundation
import OCI
import Testing

@Suite("Manifests")
struct ManifestTests {
    static let config = "sha256:" + String(repeating: "1", count: 64)
    static let layer = "sha256:" + String(repeating: "2", count: 64)

    @Test("the bytes are kept exactly, so the digest is that of the original text")
    func bytesPreserved() throws {
        // Odd spacing and key order that a re-encoder would change.
        let text = #"{ "schemaVersion":2,  "mediaType":"application/vnd.docker.distribution.manifest.v2+json","config":{"mediaType":"application/vnd.docker.container.image.v1+json","size":7,"digest":"\#(Self.config)"},"layers":[{"mediaType":"application/vnd.docker.image.rootfs.diff.tar.gzip","size":9,"digest":"\#(Self.layer)"}]}"#
        let manifest = try Manifest(bytes: Array(text.utf8))
        #expect(manifest.bytes == Array(text.utf8))
        #expect(manifest.digest == DigestHasher.digest(of: Array(text.utf8)))
        #expect(manifest.mediaType == MediaType.dockerManifest)
        guard case .image(let image) = try manifest.content() else {
            Issue.record("expected an image manifest")
            return
        }
        #expect(image.blobs.map(\.digest.description) == [Self.config, Self.layer])
    }

    @Test("a document without mediaType is recognised by its shape")
    func mediaTypeFromShape() throws {
        let index = try Manifest(bytes: Array(#"{"schemaVersion":2,"manifests":[]}"#.utf8))
        #expect(index.mediaType == MediaType.ociIndex)
        #expect(index.isIndex)
        let image = try Manifest(bytes: Array(#"{"schemaVersion":2,"config":{"mediaType":"a","size":1,"digest":"\#(Self.config)"},"layers":[]}"#.utf8))
        #expect(image.mediaType == MediaType.ociManifest)
    }

    @Test("schema 1 manifests are refused with advice")
    func schema1Refused() {
        do {
            _ = try Manifest(bytes: Array(#"{"schemaVersion":1,"name":"x"}"#.utf8))
            Issue.record("expected an error")
        } catch {
            #expect(error.description.contains("schema 1"))
        }
    }

    @Test("verification against another digest fails with both digests named")
    func verifyMismatch() throws {
        let manifest = try Manifest(bytes: Array(#"{"schemaVersion":2,"manifests":[]}"#.utf8))
        let other = try Digest(parsing: Self.layer)
        #expect(throws: ManifestError.digestMismatch(expected: other, actual: manifest.digest)) {
            try manifest.verify(against: other)
        }
    }

    @Test("manifests smimg writes are encoded reproducibly")
    func reproducibleEncoding() throws {
        let descriptor = Descriptor(mediaType: MediaType.ociConfig, digest: try Digest(parsing: Self.config), size: 7)
        let first = try Manifest(encoding: ImageManifest(config: descriptor, layers: []))
        let second = try Manifest(encoding: ImageManifest(config: descriptor, layers: []))
        #expect(first.bytes == second.bytes)
        #expect(String(decoding: first.bytes, as: UTF8.self).contains("\"config\""))
    }
}

@Suite("Platforms")
struct PlatformTests {
    @Test("os/arch/variant parses and prints back")
    func parse() throws {
        #expect(try Platform(parsing: "linux/arm64/v8").description == "linux/arm64/v8")
        #expect(try Platform(parsing: "linux/amd64").variant == nil)
    }

    @Test("bad platforms are refused", arguments: ["linux", "linux/", "/amd64", "a/b/c/d"])
    func bad(text: String) {
        #expect(throws: PlatformError.self) { try Platform(parsing: text) }
    }

    @Test("a request without a variant matches any variant; arm64 defaults to v8")
    func matching() throws {
        let arm = Platform(os: "linux", architecture: "arm64")
        #expect(arm.satisfies(try Platform(parsing: "linux/arm64/v8")))
        #expect(Platform(os: "linux", architecture: "arm", variant: "v7").satisfies(try Platform(parsing: "linux/arm")))
        #expect(!Platform(os: "linux", architecture: "amd64").satisfies(try Platform(parsing: "linux/arm64")))
    }
}
