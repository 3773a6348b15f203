import Crypto
import Fetch
import Foundation
import Testing
import TestSupport

@Suite struct FetcherTests {
    /// A served directory with one file of `size` pseudo-random bytes at `name`.
    struct Served {
        let directory: TemporaryDirectory
        let bytes: [UInt8]
        var sha256: String { SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined() }
        var md5: String { Insecure.MD5.hash(data: bytes).map { String(format: "%02x", $0) }.joined() }

        init(name: String = "pkg/file.bin", size: Int = 3 << 20) throws {
            directory = try TemporaryDirectory()
            var generator = SystemRandomNumberGenerator()
            bytes = (0..<size).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let path = directory.path + "/root/" + name
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try Data(bytes).write(to: URL(fileURLWithPath: path))
        }

        var root: String { directory.path + "/root" }
        var target: String { directory.path + "/out/file.bin" }
    }

    @Test func downloadsVerifiedBytesWithBothHashes() async throws {
        let served = try Served()
        let server = try FileServer(root: served.root)
        defer { server.stop() }
        let file = try await Fetcher.with { fetcher in
            try await fetcher.download(
                "\(server.baseURL)/pkg/file.bin", to: served.target, expecting: ExpectedDigests(sha256: served.sha256, md5: served.md5))
        }
        #expect(file.sha256 == served.sha256)
        #expect(file.md5 == served.md5)
        #expect(file.size == Int64(served.bytes.count))
        #expect(FileManager.default.contents(atPath: served.target) == Data(served.bytes))
    }

    @Test func aHashMismatchLeavesNoFileBehind() async throws {
        let served = try Served(size: 1000)
        let server = try FileServer(root: served.root)
        defer { server.stop() }
        let wrong = String(repeating: "0", count: 64)
        await #expect(throws: FetchError.self) {
            try await Fetcher.with { fetcher in
                try await fetcher.download("\(server.baseURL)/pkg/file.bin", to: served.target, expecting: ExpectedDigests(sha256: wrong))
            }
        }
        let left = try FileManager.default.contentsOfDirectory(atPath: served.directory.path + "/out")
        #expect(left.isEmpty)
    }

    @Test func aBrokenDownloadResumesFromTheLastByteWithRange() async throws {
        let served = try Served()
        let server = try FileServer(root: served.root, options: ["--truncate-once"])
        defer { server.stop() }
        let file = try await Fetcher.with { fetcher in
            try await fetcher.download("\(server.baseURL)/pkg/file.bin", to: served.target, expecting: ExpectedDigests(sha256: served.sha256))
        }
        #expect(file.sha256 == served.sha256)
        let ranges = try server.stats()["ranges"] as? [String] ?? []
        #expect(ranges.count == 1)
        #expect(ranges.first.map { $0.hasPrefix("bytes=") && $0 != "bytes=0-" } == true)
    }

    @Test func aServerThatIgnoresRangeIsReadFromTheStart() async throws {
        let served = try Served()
        let server = try FileServer(root: served.root, options: ["--truncate-once", "--ignore-range"])
        defer { server.stop() }
        let file = try await Fetcher.with { fetcher in
            try await fetcher.download("\(server.baseURL)/pkg/file.bin", to: served.target)
        }
        #expect(file.sha256 == served.sha256)
        #expect(file.size == Int64(served.bytes.count))
    }

    @Test func serverErrorsAreRetried() async throws {
        let served = try Served(size: 100)
        let server = try FileServer(root: served.root, options: ["--fail-first", "2"])
        defer { server.stop() }
        let document = try await Fetcher.with { fetcher in try await fetcher.get("\(server.baseURL)/pkg/file.bin") }
        #expect(document.body == served.bytes)
        #expect(try server.stats()["requests"] as? Int == 3)
    }

    @Test func urlCredentialsGoOnlyToTheirOwnHost() async throws {
        let served = try Served(name: "private/file.bin", size: 100)
        let other = try FileServer(root: served.root)
        defer { other.stop() }
        let guarded = try FileServer(root: served.root, options: ["--user", "alice", "--password", "s3cret"])
        defer { guarded.stop() }
        let port = other.address.split(separator: ":").last.map(String.init) ?? ""
        try await Fetcher.with { fetcher in
            let direct = try await fetcher.get("http://alice:s3cret@\(guarded.address)/private/file.bin")
            #expect(direct.body == served.bytes)
            #expect(!direct.url.contains("s3cret"))
            let redirected = try await fetcher.get("http://alice:s3cret@\(guarded.address)/go/\(port)/private/file.bin")
            #expect(redirected.body == served.bytes)
            #expect(redirected.url == "\(other.baseURL)/private/file.bin")
        }
        #expect((try guarded.stats()["authorization"] as? [String])?.isEmpty == false)
        #expect((try other.stats()["authorization"] as? [String]) == [])
    }

    @Test func anAuthenticationFailureNamesTheURLWithoutItsPassword() async throws {
        let served = try Served(name: "private/file.bin", size: 10)
        let guarded = try FileServer(root: served.root, options: ["--user", "alice", "--password", "s3cret"])
        defer { guarded.stop() }
        do {
            _ = try await Fetcher.with { fetcher in try await fetcher.get("http://alice:wrong-pass@\(guarded.address)/private/file.bin") }
            Issue.record("expected a 401")
        } catch let error as FetchError {
            guard case .status(_, 401) = error else { Issue.record("unexpected \(error)"); return }
            #expect(!error.description.contains("wrong-pass"))
            #expect(error.description.contains("credentials"))
        }
    }

    @Test func documentsLargerThanTheLimitAreRefused() async throws {
        let served = try Served(size: 5000)
        let server = try FileServer(root: served.root)
        defer { server.stop() }
        await #expect(throws: FetchError.self) {
            try await Fetcher.with { fetcher in try await fetcher.get("\(server.baseURL)/pkg/file.bin", limit: 4096) }
        }
    }

    @Test func fileURLsAreReadAndCopiedLocally() async throws {
        let served = try Served(size: 70_000)
        let url = "file://" + served.root + "/pkg/file.bin"
        try await Fetcher.with { fetcher in
            let document = try await fetcher.get(url)
            #expect(document.body == served.bytes)
            let file = try await fetcher.download(url, to: served.target, expecting: ExpectedDigests(md5: served.md5))
            #expect(file.sha256 == served.sha256)
        }
        await #expect(throws: FetchError.self) {
            try await Fetcher.with { fetcher in try await fetcher.get("file://" + served.root + "/missing") }
        }
    }

    @Test func unsupportedSchemesAreRefusedWithoutCredentials() async throws {
        do {
            _ = try await Fetcher.with { fetcher in try await fetcher.get("ftp://bob:hunter2@example.com/x") }
            Issue.record("expected an error")
        } catch let error as FetchError {
            #expect(!error.description.contains("hunter2"))
        }
    }
}
