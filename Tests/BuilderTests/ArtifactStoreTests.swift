import Builder
import Crypto
import Fetch
import Foundation
import Testing
import TestSupport

@Suite struct ArtifactStoreTests {
    struct Served {
        let directory: TemporaryDirectory
        let bytes: [UInt8]
        let store: ContentStore

        init() throws {
            directory = try TemporaryDirectory()
            bytes = (0..<200_000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
            try FileManager.default.createDirectory(atPath: directory.path + "/root", withIntermediateDirectories: true)
            try Data(bytes).write(to: URL(fileURLWithPath: directory.path + "/root/pkg-1.0-py3-none-any.whl"))
            store = ContentStore(root: directory.path + "/store")
        }

        var sha256: String { SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined() }
        var md5: String { Insecure.MD5.hash(data: bytes).map { String(format: "%02x", $0) }.joined() }
    }

    @Test func aRebuildFindsArtifactsInTheStoreAndDownloadsNothing() async throws {
        let served = try Served()
        let server = try FileServer(root: served.directory.path + "/root")
        defer { server.stop() }
        let url = "\(server.baseURL)/pkg-1.0-py3-none-any.whl"
        let (first, bySHA, byMD5, byURL) = try await Fetcher.with { fetcher in
            (
                try await served.store.fetchArtifact(url: url, sha256: nil, md5: nil, using: fetcher),
                try await served.store.fetchArtifact(url: url, sha256: served.sha256, md5: nil, using: fetcher),
                try await served.store.fetchArtifact(url: url, sha256: nil, md5: served.md5, using: fetcher),
                try await served.store.fetchArtifact(url: url, sha256: nil, md5: nil, using: fetcher)
            )
        }
        #expect(first.sha256 == served.sha256)
        #expect(first.path == served.store.artifactPath(sha256: served.sha256))
        #expect([bySHA.path, byMD5.path, byURL.path].allSatisfy { $0 == first.path })
        let gets = try server.stats()["gets"] as? [String: Int]
        #expect(gets?["/pkg-1.0-py3-none-any.whl"] == 1)
    }

    @Test func aWrongPinStoresNothingAndSaysSo() async throws {
        let served = try Served()
        let server = try FileServer(root: served.directory.path + "/root")
        defer { server.stop() }
        let wrong = String(repeating: "1", count: 64)
        await #expect(throws: FetchError.self) {
            try await Fetcher.with { fetcher in
                try await served.store.fetchArtifact(url: "\(server.baseURL)/pkg-1.0-py3-none-any.whl", sha256: wrong, md5: nil, using: fetcher)
            }
        }
        let stored = (try? FileManager.default.contentsOfDirectory(atPath: served.store.root + "/artifacts/sha256")) ?? []
        #expect(stored.isEmpty)
        #expect(!FileManager.default.fileExists(atPath: served.store.artifactPath(sha256: wrong)))
    }
}
