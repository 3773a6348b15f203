import Archive
import Foundation
import OCI
import TestSupport

/// One member of a tar archive as Python's `tarfile` sees it: an independent reader.
struct PythonTarMember: Decodable, Equatable {
    var name: String
    var type: String
    var size: Int64
    var mode: Int
    var uid: Int
    var gid: Int
    var uname: String
    var gname: String
    var mtime: Int64
    var linkname: String
    var pax: [String: String]
}

enum ArchiveTestSupport {
    static let pythonLister = """
    import json, sys, tarfile
    members = []
    with tarfile.open(sys.argv[1], "r:*") as archive:
        for m in archive.getmembers():
            members.append(dict(name=m.name, type=m.type.decode(), size=m.size, mode=m.mode, uid=m.uid, gid=m.gid,
                                uname=m.uname, gname=m.gname, mtime=int(m.mtime), linkname=m.linkname,
                                pax={k: str(v) for k, v in m.pax_headers.items()}))
    print(json.dumps(members))
    """

    /// Lists a tar (plain, gzip or bzip2) with Python's tarfile.
    static func pythonMembers(_ path: String) throws -> [PythonTarMember] {
        let result = try Command.check(["python3", "-c", pythonLister, path])
        return try JSONDecoder().decode([PythonTarMember].self, from: Data(result.stdout.utf8))
    }

    /// Runs a Python script with arguments.
    @discardableResult
    static func python(_ script: String, _ arguments: [String] = []) throws -> String {
        try Command.check(["python3", "-c", script] + arguments).stdout
    }

    static func sha256(ofFile path: String) throws -> Digest {
        let source = try FileSource(path: path)
        var hasher = DigestHasher()
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 16, alignment: 16)
        defer { buffer.deallocate() }
        while true {
            let count = try source.read(into: buffer)
            if count == 0 { break }
            hasher.update(UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
        }
        return hasher.finalize()
    }

    /// Deterministic pseudo-random bytes mixed with text, compressible like real files.
    static func sampleBytes(count: Int, seed: UInt64 = 42) -> [UInt8] {
        var state = seed
        var bytes = [UInt8]()
        bytes.reserveCapacity(count + 16)
        let words = Array("the quick brown fox jumps over the lazy dog 0123456789 layer tar gzip ".utf8)
        while bytes.count < count {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            if state >> 60 < 10 {
                let start = Int((state >> 20) % UInt64(words.count - 16))
                bytes.append(contentsOf: words[start..<(start + 16)])
            } else {
                for shift in stride(from: 0, to: 64, by: 8) { bytes.append(UInt8(truncatingIfNeeded: state >> UInt64(shift))) }
            }
        }
        return Array(bytes.prefix(count))
    }

    static func write(_ bytes: [UInt8], to path: String, mode: mode_t = 0o644) throws {
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        chmod(path, mode)
    }

    /// A small fixed tree: directories with explicit modes, files, an empty file, an executable,
    /// a symlink, a hard link pair, a name longer than 100 bytes and a non-ASCII name.
    static func makeFixtureTree(at root: String) throws {
        let fm = FileManager.default
        for dir in ["app", "app/bin", "app/lib", "app/lib/deep", "app/share"] {
            try fm.createDirectory(atPath: "\(root)/\(dir)", withIntermediateDirectories: true)
        }
        try write(Array("#!/bin/sh\necho hello\n".utf8), to: "\(root)/app/bin/hello", mode: 0o755)
        try write(Array("config = 1\n".utf8), to: "\(root)/app/config.ini", mode: 0o640)
        try write([], to: "\(root)/app/empty", mode: 0o600)
        try write(sampleBytes(count: 200_000, seed: 7), to: "\(root)/app/lib/data.bin")
        try write(Array("long\n".utf8), to: "\(root)/app/lib/deep/" + longName)
        try write(Array("café\n".utf8), to: "\(root)/app/share/café.txt")
        guard link("\(root)/app/lib/data.bin", "\(root)/app/share/data-link.bin") == 0 else {
            throw ArchiveError.io(operation: "link", path: root, errno: errno)
        }
        try fm.createSymbolicLink(atPath: "\(root)/app/bin/hi", withDestinationPath: "hello")
        try fm.createSymbolicLink(atPath: "\(root)/app/abs-link", withDestinationPath: "/etc/hostname")
        chmod("\(root)/app", 0o755)
        chmod("\(root)/app/bin", 0o755)
        chmod("\(root)/app/lib", 0o750)
        chmod("\(root)/app/lib/deep", 0o755)
        chmod("\(root)/app/share", 0o2775)
    }

    static let longName = String(repeating: "n", count: 120) + ".txt"

    /// Regular files anywhere under a store's root, relative to it.
    static func storeFiles(_ store: BlobStore) -> [String] {
        guard let enumerator = FileManager.default.enumerator(atPath: store.root) else { return [] }
        return enumerator.compactMap { $0 as? String }.filter {
            var isDirectory: ObjCBool = false
            _ = FileManager.default.fileExists(atPath: "\(store.root)/\($0)", isDirectory: &isDirectory)
            return !isDirectory.boolValue
        }.sorted()
    }
}

/// A sink that fails after accepting `limit` bytes, like a full disk.
final class FailingSink: ByteSink {
    struct Failure: Error, Equatable {}
    private let limit: Int
    private(set) var received = 0
    private(set) var aborted = false

    init(failingAfter limit: Int) { self.limit = limit }

    func write(_ bytes: UnsafeRawBufferPointer) throws {
        received += bytes.count
        if received > limit { throw Failure() }
    }

    func finish() throws {}
    func abort() { aborted = true }
}
