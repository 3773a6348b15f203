import Archive
import Foundation
import Testing
import TestSupport

@Suite struct LayerContentsTests {
    @Test func entriesGivenInAnyOrderAreWrittenSortedWithTheirParents() throws {
        let dir = try TemporaryDirectory("contents")
        defer { dir.remove() }
        var contents = LayerContents()
        try contents.addFile("usr/local/bin/z", contents: Array("z".utf8), mode: 0o755)
        try contents.addFile("usr/local/bin/a", contents: Array("a".utf8))
        try contents.add(.directory("usr", mode: 0o700))
        try contents.addWhiteout(removing: "usr/local/bin/old")
        try contents.add(.file("usr/local/lib/stream.bin", size: 4), source: .writer { writer in
            try writer.writeData([1, 2])
            try writer.writeData([3, 4])
        })
        try contents.add(.symlink("usr/local/bin/alias", target: "z"))
        let writer = try LayerWriter(store: BlobStore(root: dir.appending("store").path))
        try contents.write(to: writer) { path in TarEntry.directory(path, mode: 0o711) }
        let layer = try writer.finish()
        let tar = dir.appending("l.tar").path
        try Command.check(["sh", "-c", "gzip -dc '\(layer.path)' > '\(tar)'"])
        let members = try ArchiveTestSupport.pythonMembers(tar)
        #expect(members.map(\.name) == [
            "usr", "usr/local", "usr/local/bin", "usr/local/bin/.wh.old", "usr/local/bin/a", "usr/local/bin/alias",
            "usr/local/bin/z", "usr/local/lib", "usr/local/lib/stream.bin",
        ])
        #expect(members[0].mode == 0o700, "the given directory keeps its mode")
        #expect(members[1].mode == 0o711, "missing parents come from missingParent")
        #expect(members.first { $0.name == "usr/local/bin/z" }?.mode == 0o755)
    }

    @Test func aWhiteoutForAnAddedPathIsRefused() throws {
        var contents = LayerContents()
        try contents.addFile("etc/x", contents: [])
        #expect(throws: ArchiveError.self) { try contents.addWhiteout(removing: "etc/x") }
        var other = LayerContents()
        try other.addWhiteout(removing: "etc/y")
        #expect(throws: ArchiveError.self) { try other.addFile("etc/y", contents: []) }
    }

    @Test func aFileAsAParentIsRefused() throws {
        let dir = try TemporaryDirectory("contents-parent")
        defer { dir.remove() }
        var contents = LayerContents()
        try contents.addFile("a", contents: [])
        try contents.addFile("a/b", contents: [])
        let writer = try LayerWriter(store: BlobStore(root: dir.appending("store").path))
        #expect(throws: ArchiveError.self) { try contents.write(to: writer) }
    }

    @Test func sizeAndDataMustAgree() {
        var contents = LayerContents()
        #expect(throws: ArchiveError.dataSizeMismatch(path: "f", expected: 5, actual: 2)) {
            try contents.add(.file("f", size: 5), source: .bytes([1, 2]))
        }
    }

    @Test func orderPutsWhiteoutsFirstAndKeepsSubtreesTogether() {
        let paths = ["a-b", "a/b", "a", "a/.wh.c", "a/.wh..wh..opq", "a/B", "a.txt", "b"]
        let sorted = paths.sorted(by: LayerPathOrder.areInIncreasingOrder)
        #expect(sorted == ["a", "a/.wh..wh..opq", "a/.wh.c", "a/B", "a/b", "a-b", "a.txt", "b"])
    }
}
