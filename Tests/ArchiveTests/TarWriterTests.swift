import Archive
import Foundation
import Testing
import TestSupport

@Suite struct TarWriterTests {
    /// Writes a tar with one of each kind of entry to `path`.
    func writeSampleTar(to path: String) throws {
        let writer = try TarWriter(sink: try FileSink(path: path), defaultMtime: 1_700_000_000)
        try writer.writeEntry(.directory("usr", mode: 0o755))
        try writer.writeEntry(.directory("usr/bin", mode: 0o750, uid: 0, gid: 0))
        let script = Array("#!/bin/sh\nexit 0\n".utf8)
        try writer.writeEntry(.file("usr/bin/tool", size: Int64(script.count), mode: 0o4755))
        try writer.writeData(Array(script[0..<5]))
        try writer.writeData(Array(script[5...]))
        try writer.writeEntry(.symlink("usr/bin/alias", target: "tool"))
        try writer.writeEntry(.hardLink("usr/bin/tool2", target: "usr/bin/tool", mode: 0o4755))
        let longPath = "usr/" + String(repeating: "d", count: 90) + "/" + String(repeating: "f", count: 110)
        try writer.writeEntry(.directory("usr/" + String(repeating: "d", count: 90)))
        try writer.writeEntry(.file(longPath, size: 3, mtime: 12345))
        try writer.writeData(Array("abc".utf8))
        var owned = TarEntry.file("usr/owned", size: 0, mode: 0o600, uid: 1000, gid: 100)
        owned.xattrs = ["user.comment": Array("hi".utf8)]
        try writer.writeEntry(owned)
        try writer.writeEntry(try Whiteout.entry(removing: "usr/old"))
        try writer.finish()
    }

    @Test func headersAreReadBackByPythonTarfile() throws {
        let dir = try TemporaryDirectory("tarwriter")
        defer { dir.remove() }
        let path = dir.appending("sample.tar").path
        try writeSampleTar(to: path)
        let members = try ArchiveTestSupport.pythonMembers(path)
        let byName = Dictionary(uniqueKeysWithValues: members.map { ($0.name, $0) })
        #expect(members.count == 9)
        for member in members {
            #expect(member.uname == "" && member.gname == "", "uname/gname empty for \(member.name)")
        }
        #expect(byName["usr"]?.type == "5")
        #expect(byName["usr"]?.mode == 0o755)
        #expect(byName["usr"]?.mtime == 1_700_000_000)
        #expect(byName["usr/bin"]?.mode == 0o750)
        #expect(byName["usr/bin/tool"]?.type == "0")
        #expect(byName["usr/bin/tool"]?.mode == 0o4755)
        #expect(byName["usr/bin/tool"]?.size == 17)
        #expect(byName["usr/bin/tool"]?.uid == 0 && byName["usr/bin/tool"]?.gid == 0)
        #expect(byName["usr/bin/tool"]?.pax == [:], "a short entry is plain ustar, no PAX record")
        #expect(byName["usr/bin/alias"]?.type == "2")
        #expect(byName["usr/bin/alias"]?.linkname == "tool")
        #expect(byName["usr/bin/tool2"]?.type == "1")
        #expect(byName["usr/bin/tool2"]?.linkname == "usr/bin/tool")
        #expect(byName["usr/bin/tool2"]?.size == 0)
        let long = members.first { $0.name.hasSuffix(String(repeating: "f", count: 110)) }
        #expect(long?.mtime == 12345)
        #expect(long?.pax["path"] != nil, "a path ustar cannot hold goes into a PAX record")
        #expect(byName["usr/owned"]?.uid == 1000)
        #expect(byName["usr/owned"]?.gid == 100)
        #expect(byName["usr/owned"]?.pax["SCHILY.xattr.user.comment"] == "hi")
        #expect(byName["usr/owned"]?.pax.keys.contains { $0.hasPrefix("LIBARCHIVE.") } == false)
        #expect(byName["usr/.wh.old"]?.type == "0")
        #expect(byName["usr/.wh.old"]?.size == 0)
        #expect(byName["usr/.wh.old"]?.mode == 0)
        #expect(byName["usr/.wh.old"]?.mtime == 0)
    }

    @Test func directoriesEndInSlashAndGNUTarListsTheArchive() throws {
        let dir = try TemporaryDirectory("tarwriter-gnu")
        defer { dir.remove() }
        let path = dir.appending("sample.tar").path
        try writeSampleTar(to: path)
        let names = try Command.check(["tar", "-tf", path]).stdout.split(separator: "\n").map(String.init)
        #expect(names.first == "usr/")
        #expect(names.contains("usr/bin/"))
        #expect(names.contains("usr/bin/tool"))
        let verbose = try Command.check(["tar", "-tvf", path]).stdout
        #expect(verbose.contains("usr/bin/alias -> tool"))
        #expect(verbose.contains("usr/bin/tool2 link to usr/bin/tool"))
        #expect(verbose.contains("-rwsr-xr-x 0/0"))
    }

    @Test func theArchiveEndsRightAfterTheEndMarker() throws {
        let sink = MemorySink()
        let writer = try TarWriter(sink: sink)
        try writer.writeEntry(.file("a", size: 1))
        try writer.writeData([0x41])
        try writer.finish()
        #expect(sink.bytes.count == 512 + 512 + 1024, "header, padded data, two zero blocks, no further padding")
        #expect(sink.bytes.suffix(1024).allSatisfy { $0 == 0 })
        #expect(sink.isFinished)
    }

    @Test(arguments: ["/etc/passwd", "../escape", "a/../../b", "", "a\u{0}b"])
    func unsafePathsAreRefused(path: String) throws {
        let writer = try TarWriter(sink: MemorySink())
        #expect(throws: ArchiveError.self) { try writer.writeEntry(.file(path, size: 0)) }
    }

    @Test func hardLinkTargetsMustBeSafeToo() throws {
        let writer = try TarWriter(sink: MemorySink())
        #expect(throws: ArchiveError.self) { try writer.writeEntry(.hardLink("a", target: "../etc/shadow")) }
    }

    @Test func tooLittleDataIsReportedBeforeTheNextEntry() throws {
        let writer = try TarWriter(sink: MemorySink())
        try writer.writeEntry(.file("a", size: 10))
        try writer.writeData(Array(repeating: 1, count: 4))
        #expect(throws: ArchiveError.dataSizeMismatch(path: "a", expected: 10, actual: 4)) {
            try writer.writeEntry(.file("b", size: 0))
        }
        #expect(throws: ArchiveError.dataSizeMismatch(path: "a", expected: 10, actual: 4)) { try writer.finish() }
    }

    @Test func tooMuchDataIsRefused() throws {
        let writer = try TarWriter(sink: MemorySink())
        try writer.writeEntry(.file("a", size: 2))
        #expect(throws: ArchiveError.dataSizeMismatch(path: "a", expected: 2, actual: 3)) {
            try writer.writeData([1, 2, 3])
        }
    }

    @Test func sinkErrorsSurfaceAsTheSinksError() throws {
        let failing = FailingSink(failingAfter: 600)
        let writer = try TarWriter(sink: failing)
        #expect(throws: FailingSink.Failure.self) {
            try writer.writeEntry(.file("big", size: 10_000))
            try writer.writeData(Array(repeating: 7, count: 10_000))
            try writer.finish()
        }
    }

    @Test func nonASCIINamesAreStoredAsUTF8() throws {
        let dir = try TemporaryDirectory("tarwriter-utf8")
        defer { dir.remove() }
        let path = dir.appending("utf8.tar").path
        let writer = try TarWriter(sink: try FileSink(path: path))
        try writer.writeEntry(.file("café/naïve-ü.txt", size: 0))
        try writer.finish()
        let members = try ArchiveTestSupport.pythonMembers(path)
        #expect(members.map(\.name) == ["café/naïve-ü.txt"])
    }
}
