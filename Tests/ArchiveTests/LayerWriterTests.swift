import Archive
import Foundation
import OCI
import Testing
import TestSupport

@Suite struct LayerWriterTests {
    /// Decompresses a layer blob into a plain tar file next to it.
    func decompress(_ layer: LayerBlob, to path: String) throws {
        switch layer.descriptor.mediaType {
        case MediaType.ociLayerGzip: try Command.check(["sh", "-c", "gzip -dc '\(layer.path)' > '\(path)'"])
        case MediaType.ociLayerZstd: try Command.check(["sh", "-c", "zstd -q -dc '\(layer.path)' > '\(path)'"])
        default: try Command.check(["cp", layer.path, path])
        }
    }

    func writeFixtureLayer(_ dir: TemporaryDirectory, store: String, compression: Compression, mtime: Int64 = 1_700_000_000) throws -> LayerBlob {
        let tree = dir.appending("tree").path
        if !FileManager.default.fileExists(atPath: tree) { try ArchiveTestSupport.makeFixtureTree(at: tree) }
        let writer = try LayerWriter(store: BlobStore(root: dir.appending(store).path),
                                     options: .init(compression: compression, mtime: mtime))
        try writer.addDirectory(tree, at: "")
        return try writer.finish()
    }

    @Test func gzipLayerHasMatchingDigestDiffIDAndHeaders() throws {
        let dir = try TemporaryDirectory("layer-gzip")
        defer { dir.remove() }
        let layer = try writeFixtureLayer(dir, store: "store", compression: .gzip())
        #expect(layer.descriptor.mediaType == "application/vnd.oci.image.layer.v1.tar+gzip")
        #expect(layer.path == BlobStore(root: dir.appending("store").path).path(for: layer.descriptor.digest))
        #expect(try ArchiveTestSupport.sha256(ofFile: layer.path) == layer.descriptor.digest)
        let attributes = try FileManager.default.attributesOfItem(atPath: layer.path)
        #expect((attributes[.size] as? NSNumber)?.int64Value == layer.descriptor.size)
        try Command.check(["gzip", "-t", layer.path])

        let tar = dir.appending("layer.tar").path
        try decompress(layer, to: tar)
        #expect(try ArchiveTestSupport.sha256(ofFile: tar) == layer.diffID)
        let tarSize = (try FileManager.default.attributesOfItem(atPath: tar)[.size] as? NSNumber)?.int64Value
        #expect(tarSize == layer.uncompressedSize)

        let members = try ArchiveTestSupport.pythonMembers(tar)
        let names = members.map(\.name)
        #expect(names == [
            "app", "app/abs-link", "app/bin", "app/bin/hello", "app/bin/hi", "app/config.ini", "app/empty",
            "app/lib", "app/lib/data.bin", "app/lib/deep", "app/lib/deep/\(ArchiveTestSupport.longName)",
            "app/share", "app/share/café.txt", "app/share/data-link.bin",
        ])
        let byName = Dictionary(uniqueKeysWithValues: members.map { ($0.name, $0) })
        for member in members {
            #expect(member.uid == 0 && member.gid == 0 && member.uname == "" && member.gname == "")
            #expect(member.mtime == 1_700_000_000)
        }
        #expect(byName["app/config.ini"]?.mode == 0o640)
        #expect(byName["app/empty"]?.mode == 0o600)
        #expect(byName["app/bin/hello"]?.mode == 0o755)
        #expect(byName["app/lib"]?.mode == 0o750)
        #expect(byName["app/share"]?.mode == 0o2775)
        #expect(byName["app/bin/hi"]?.type == "2")
        #expect(byName["app/bin/hi"]?.linkname == "hello")
        #expect(byName["app/abs-link"]?.linkname == "/etc/hostname")
        #expect(byName["app/lib/data.bin"]?.type == "0")
        #expect(byName["app/lib/data.bin"]?.size == 200_000)
        #expect(byName["app/share/data-link.bin"]?.type == "1", "the second path of an inode is a hard link")
        #expect(byName["app/share/data-link.bin"]?.linkname == "app/lib/data.bin")
        #expect(byName["app/share/data-link.bin"]?.size == 0)

        let listing = try Command.check(["tar", "-tf", tar]).stdout
        #expect(listing.hasPrefix("app/\napp/abs-link\napp/bin/\n"), "directories end in '/'")
        #expect(ArchiveTestSupport.storeFiles(BlobStore(root: dir.appending("store").path)) == ["blobs/sha256/\(layer.descriptor.digest.hex)"])
    }

    @Test func zstdLayerIsDecodedByZstd() throws {
        let dir = try TemporaryDirectory("layer-zstd")
        defer { dir.remove() }
        let layer = try writeFixtureLayer(dir, store: "store", compression: .zstd())
        #expect(layer.descriptor.mediaType == "application/vnd.oci.image.layer.v1.tar+zstd")
        try Command.check(["zstd", "-q", "-t", layer.path])
        let tar = dir.appending("layer.tar").path
        try decompress(layer, to: tar)
        #expect(try ArchiveTestSupport.sha256(ofFile: tar) == layer.diffID)
        #expect(try ArchiveTestSupport.sha256(ofFile: layer.path) == layer.descriptor.digest)
    }

    @Test func uncompressedLayerDigestIsItsDiffID() throws {
        let dir = try TemporaryDirectory("layer-none")
        defer { dir.remove() }
        let layer = try writeFixtureLayer(dir, store: "store", compression: .none)
        #expect(layer.descriptor.mediaType == "application/vnd.oci.image.layer.v1.tar")
        #expect(layer.descriptor.digest == layer.diffID)
        #expect(layer.descriptor.size == layer.uncompressedSize)
    }

    @Test(arguments: [Compression.gzip(), .gzip(level: 3), .zstd()])
    func theSameTreeGivesTheSameDigestTwice(compression: Compression) throws {
        let dir = try TemporaryDirectory("layer-repro")
        defer { dir.remove() }
        let first = try writeFixtureLayer(dir, store: "one", compression: compression)
        let second = try writeFixtureLayer(dir, store: "two", compression: compression)
        #expect(first.descriptor == second.descriptor)
        #expect(first.diffID == second.diffID)
    }

    @Test func theFixtureTreeHasAPinnedDiffID() throws {
        // Independent of the machine and of the compressor: only the tar bytes.
        let dir = try TemporaryDirectory("layer-pinned")
        defer { dir.remove() }
        let layer = try writeFixtureLayer(dir, store: "store", compression: .gzip(), mtime: 0)
        #expect(layer.diffID.description == "sha256:d4a6292bdc9e4305bdd4f21fb8a04f67667b30564a2269a00abada037ae9e9f8")
        #expect(layer.uncompressedSize == 212_480)
    }

    @Test func whiteoutsAreNamedAndShapedPerTheSpec() throws {
        let dir = try TemporaryDirectory("layer-whiteout")
        defer { dir.remove() }
        let writer = try LayerWriter(store: BlobStore(root: dir.appending("store").path), options: .init(mtime: 1234))
        try writer.addWhiteout(removing: "var")
        try writer.add(.directory("etc"))
        try writer.addOpaqueWhiteout(in: "etc")
        try writer.addWhiteout(removing: "etc/old.conf")
        try writer.add(.file("etc/new.conf", size: 2), data: Array("x\n".utf8))
        let layer = try writer.finish()
        let tar = dir.appending("layer.tar").path
        try decompress(layer, to: tar)
        let members = try ArchiveTestSupport.pythonMembers(tar)
        #expect(members.map(\.name) == [".wh.var", "etc", "etc/.wh..wh..opq", "etc/.wh.old.conf", "etc/new.conf"])
        for whiteout in members where whiteout.name.contains(".wh.") {
            #expect(whiteout.type == "0" && whiteout.size == 0 && whiteout.mode == 0 && whiteout.mtime == 0)
        }
        #expect(members.first { $0.name == "etc/new.conf" }?.mtime == 1234)
        #expect(members.first?.name == ".wh.var", "whiteouts come first in their directory")
    }

    @Test func entriesOutOfOrderAreRefused() throws {
        let dir = try TemporaryDirectory("layer-order")
        defer { dir.remove() }
        let writer = try LayerWriter(store: BlobStore(root: dir.appending("store").path))
        try writer.add(.directory("b"))
        #expect(throws: ArchiveError.entryOrder(previous: "b", next: "a")) { try writer.add(.directory("a")) }
        #expect(throws: ArchiveError.entryOrder(previous: "b", next: "b")) { try writer.add(.directory("b")) }
    }

    @Test func childrenBeforeTheirParentAreRefused() throws {
        let dir = try TemporaryDirectory("layer-parent")
        defer { dir.remove() }
        let writer = try LayerWriter(store: BlobStore(root: dir.appending("store").path))
        try writer.add(.directory("a"))
        #expect(throws: ArchiveError.missingParent(path: "a/b/c", parent: "a/b")) {
            try writer.add(.file("a/b/c", size: 0))
        }
        let lenient = try LayerWriter(store: BlobStore(root: dir.appending("store2").path),
                                      options: .init(requireParentDirectories: false))
        try lenient.add(.file("a/b/c", size: 0))
        _ = try lenient.finish()
    }

    @Test func aWhiteoutAndARealEntryForOnePathAreRefused() throws {
        let dir = try TemporaryDirectory("layer-conflict")
        defer { dir.remove() }
        let writer = try LayerWriter(store: BlobStore(root: dir.appending("store").path))
        try writer.add(.directory("etc"))
        try writer.addWhiteout(removing: "etc/x")
        #expect(throws: ArchiveError.self) { try writer.add(.file("etc/x", size: 0)) }
    }

    @Test func aFailedLayerLeavesNothingInTheStore() throws {
        let dir = try TemporaryDirectory("layer-failure")
        defer { dir.remove() }
        let store = BlobStore(root: dir.appending("store").path)
        let writer = try LayerWriter(store: store)
        try writer.add(.file("big", size: 5_000_000))
        try writer.writeData(ArchiveTestSupport.sampleBytes(count: 3_000_000))
        #expect(throws: ArchiveError.dataSizeMismatch(path: "big", expected: 5_000_000, actual: 3_000_000)) {
            _ = try writer.finish()
        }
        #expect(ArchiveTestSupport.storeFiles(store) == [])
        #expect(!FileManager.default.fileExists(atPath: store.root + "/.ingest"))

        let abandoned = try LayerWriter(store: store)
        try abandoned.add(.file("f", size: 1), data: [1])
        abandoned.discard()
        #expect(ArchiveTestSupport.storeFiles(store) == [])
    }

    @Test func aWriteErrorInTheCompressionThreadReachesTheCaller() throws {
        let dir = try TemporaryDirectory("layer-write-error")
        defer { dir.remove() }
        let store = BlobStore(root: dir.appending("store").path)
        let writer = try LayerWriter(store: store, options: .init(compression: .none))
        try writer.add(.file("data", size: 2_000_000), data: ArchiveTestSupport.sampleBytes(count: 2_000_000))
        // The store vanishes under the writer: renaming the finished blob into it fails.
        try FileManager.default.removeItem(atPath: store.root)
        #expect(throws: ArchiveError.self) { _ = try writer.finish() }
        #expect(ArchiveTestSupport.storeFiles(store) == [])
    }

    @Test func adjustCanExcludeSubtreesAndSetOwners() throws {
        let dir = try TemporaryDirectory("layer-adjust")
        defer { dir.remove() }
        try ArchiveTestSupport.makeFixtureTree(at: dir.appending("tree").path)
        let writer = try LayerWriter(store: BlobStore(root: dir.appending("store").path))
        try writer.add(.directory("srv"))
        try writer.addDirectory(dir.appending("tree/app").path, at: "srv/app") { entry, relative in
            if relative == "lib" { return false }
            entry.uid = 1000
            entry.gid = 1000
            if relative == "config.ini" { entry.mode = 0o600 }
            return true
        }
        let layer = try writer.finish()
        let tar = dir.appending("layer.tar").path
        try decompress(layer, to: tar)
        let members = try ArchiveTestSupport.pythonMembers(tar)
        #expect(!members.contains { $0.name.hasPrefix("srv/app/lib") })
        #expect(members.first { $0.name == "srv/app" }?.uid == 1000)
        #expect(members.first { $0.name == "srv/app/config.ini" }?.mode == 0o600)
        // The hard link partner was excluded with lib/, so data-link.bin is stored as a file.
        #expect(members.first { $0.name == "srv/app/share/data-link.bin" }?.type == "0")
    }

    @Test func writeRunsOnItsOwnThreadAndReturnsTheLayer() async throws {
        let dir = try TemporaryDirectory("layer-async")
        defer { dir.remove() }
        let store = BlobStore(root: dir.appending("store").path)
        let layer = try await LayerWriter.write(to: store, options: .init(compression: .zstd())) { writer in
            try writer.add(.directory("x"))
            try writer.add(.file("x/y", size: 3), data: [1, 2, 3])
        }
        #expect(store.contains(layer.descriptor.digest))
        await #expect(throws: ArchiveError.self) {
            _ = try await LayerWriter.write(to: store) { writer in try writer.add(.file("/abs", size: 0)) }
        }
        #expect(ArchiveTestSupport.storeFiles(store) == ["blobs/sha256/\(layer.descriptor.digest.hex)"])
    }

    @Test func sourceDateEpochIsParsedStrictly() throws {
        #expect(try SourceDateEpoch.fromEnvironment(["SOURCE_DATE_EPOCH": "1700000000"]) == 1_700_000_000)
        #expect(try SourceDateEpoch.fromEnvironment([:]) == nil)
        #expect(try SourceDateEpoch.mtime([:]) == 0)
        #expect(throws: ArchiveError.invalidSourceDateEpoch("yesterday")) {
            _ = try SourceDateEpoch.fromEnvironment(["SOURCE_DATE_EPOCH": "yesterday"])
        }
    }
}
