import Archive
import NIOCore
import OCI
import Foundation
import Testing
import TestSupport

@Suite struct TarReaderTests {
    /// A small tree for `tar` to archive: nested dirs, a long name, a symlink, a hard link.
    func makeTree(at root: String, longName: String) throws {
        try FileManager.default.createDirectory(atPath: "\(root)/top/sub", withIntermediateDirectories: true)
        try ArchiveTestSupport.write(Array("alpha\n".utf8), to: "\(root)/top/a.txt", mode: 0o640)
        try ArchiveTestSupport.write(ArchiveTestSupport.sampleBytes(count: 100_000), to: "\(root)/top/sub/\(longName)", mode: 0o755)
        try FileManager.default.createSymbolicLink(atPath: "\(root)/top/link", withDestinationPath: "a.txt")
        #expect(link("\(root)/top/a.txt", "\(root)/top/hard.txt") == 0)
    }

    func readAll(_ reader: TarReader) throws -> [(TarEntry, [UInt8])] {
        var result: [(TarEntry, [UInt8])] = []
        while let entry = try reader.next() {
            result.append((entry, try reader.readAll()))
        }
        return result
    }

    @Test(arguments: [
        ("gnu", "", "GNU tar format"), ("pax", "", "POSIX pax interchange format"), ("ustar", "", "POSIX ustar format"),
        ("gnu", "-z", "GNU tar format"), ("pax", "--zstd", "POSIX pax interchange format"), ("gnu", "-j", "GNU tar format"),
    ])
    func readsArchivesMadeByGNUTar(format: String, compression: String, formatName: String) throws {
        let dir = try TemporaryDirectory("reader-gnu")
        defer { dir.remove() }
        // ustar can split a long path at a '/', but holds no name component over 100 bytes.
        let longName = format == "ustar" ? String(repeating: "u", count: 99) : String(repeating: "l", count: 150)
        try makeTree(at: dir.appending("tree").path, longName: longName)
        let archive = dir.appending("t.tar").path
        var arguments = ["tar", "--format=\(format)", "--owner=0", "--group=0", "--numeric-owner", "--mtime=@1600000000", "--sort=name"]
        if !compression.isEmpty { arguments.append(compression) }
        try Command.check(arguments + ["-C", dir.appending("tree").path, "-cf", archive, "./top"])

        let reader = try TarReader(path: archive)
        let entries = try readAll(reader)
        #expect(reader.formatName == formatName)
        let byPath = Dictionary(uniqueKeysWithValues: entries.map { ($0.0.path, $0) })
        #expect(byPath["top"]?.0.kind == .directory, "'./top/' is normalized to 'top'")
        #expect(byPath["top/a.txt"]?.1 == Array("alpha\n".utf8))
        #expect(byPath["top/a.txt"]?.0.mode == 0o640)
        #expect(byPath["top/a.txt"]?.0.mtime == 1_600_000_000)
        #expect(byPath["top/a.txt"]?.0.uid == 0)
        #expect(byPath["top/hard.txt"]?.0.kind == .hardLink(target: "top/a.txt"))
        #expect(byPath["top/link"]?.0.kind == .symlink(target: "a.txt"))
        let long = byPath["top/sub/\(longName)"]
        #expect(long?.0.mode == 0o755)
        #expect(long.map { DigestHasher.digest(of: $0.1) } == DigestHasher.digest(of: ArchiveTestSupport.sampleBytes(count: 100_000)))
        switch compression {
        case "-z": #expect(reader.filterNames == ["gzip"])
        case "--zstd": #expect(reader.filterNames == ["zstd"])
        case "-j": #expect(reader.filterNames == ["bzip2"])
        default: #expect(reader.filterNames == [])
        }
    }

    @Test(arguments: ["GNU_FORMAT", "PAX_FORMAT", "USTAR_FORMAT"])
    func readsArchivesMadeByPython(format: String) throws {
        let dir = try TemporaryDirectory("reader-python")
        defer { dir.remove() }
        let archive = dir.appending("p.tar").path
        try ArchiveTestSupport.python("""
        import io, sys, tarfile
        with tarfile.open(sys.argv[1], "w", format=tarfile.\(format)) as t:
            d = tarfile.TarInfo("opt/"); d.type = tarfile.DIRTYPE; d.mode = 0o711; d.mtime = 42; d.uid = 7; d.gid = 8
            t.addfile(d)
            data = b"x" * 5000
            f = tarfile.TarInfo("opt/" + "p" * 80 + "/file.bin"); f.size = len(data); f.mode = 0o600; f.mtime = 43; f.uid = 1000; f.gid = 1001; f.uname = "me"
            t.addfile(f, io.BytesIO(data))
            s = tarfile.TarInfo("opt/sym"); s.type = tarfile.SYMTYPE; s.linkname = "/usr/bin/python3"
            t.addfile(s)
            h = tarfile.TarInfo("opt/hard"); h.type = tarfile.LNKTYPE; h.linkname = "opt/" + "p" * 80 + "/file.bin"
            t.addfile(h)
            w = tarfile.TarInfo("opt/.wh..wh..opq"); w.size = 0
            t.addfile(w, io.BytesIO(b""))
        """, [archive])
        let entries = try readAll(try TarReader(path: archive))
        #expect(entries.map(\.0.path) == ["opt", "opt/" + String(repeating: "p", count: 80) + "/file.bin", "opt/sym", "opt/hard", "opt/.wh..wh..opq"])
        #expect(entries[0].0.mode == 0o711)
        #expect(entries[0].0.uid == 7 && entries[0].0.gid == 8)
        #expect(entries[1].0.kind == .regular(size: 5000))
        #expect(entries[1].0.uid == 1000 && entries[1].0.uname == "me")
        #expect(entries[1].0.mtime == 43)
        #expect(entries[1].1 == Array(repeating: UInt8(ascii: "x"), count: 5000))
        #expect(entries[2].0.kind == .symlink(target: "/usr/bin/python3"))
        #expect(entries[3].0.kind == .hardLink(target: entries[1].0.path))
        #expect(Whiteout(entryPath: entries[4].0.path) == .opaque(directory: "opt"))
    }

    @Test(arguments: ["../escape.txt", "/etc/passwd", "a/../../b"])
    func unsafePathsAreReported(name: String) throws {
        let dir = try TemporaryDirectory("reader-unsafe")
        defer { dir.remove() }
        let archive = dir.appending("bad.tar").path
        try ArchiveTestSupport.python("""
        import io, sys, tarfile
        with tarfile.open(sys.argv[1], "w", format=tarfile.PAX_FORMAT) as t:
            ok = tarfile.TarInfo("fine.txt"); ok.size = 0
            t.addfile(ok, io.BytesIO(b""))
            bad = tarfile.TarInfo(sys.argv[2]); bad.size = 3
            t.addfile(bad, io.BytesIO(b"bad"))
        """, [archive, name])
        let reader = try TarReader(path: archive)
        #expect(try reader.next()?.path == "fine.txt")
        #expect(throws: ArchiveError.self) { _ = try reader.next() }

        let lenient = try TarReader(path: archive, options: .init(allowUnsafePaths: true))
        _ = try lenient.next()
        #expect(try lenient.next()?.path == name)
    }

    @Test func hardLinkTargetsAreCheckedLikePaths() throws {
        let dir = try TemporaryDirectory("reader-unsafe-link")
        defer { dir.remove() }
        let archive = dir.appending("bad.tar").path
        try ArchiveTestSupport.python("""
        import sys, tarfile
        with tarfile.open(sys.argv[1], "w") as t:
            h = tarfile.TarInfo("innocent"); h.type = tarfile.LNKTYPE; h.linkname = "../../etc/shadow"
            t.addfile(h)
        """, [archive])
        let reader = try TarReader(path: archive)
        #expect(throws: ArchiveError.self) { _ = try reader.next() }
    }

    @Test func theRootEntryHasAnEmptyPath() throws {
        let dir = try TemporaryDirectory("reader-root")
        defer { dir.remove() }
        try FileManager.default.createDirectory(atPath: dir.appending("tree/etc").path, withIntermediateDirectories: true)
        let archive = dir.appending("root.tar").path
        try Command.check(["tar", "-C", dir.appending("tree").path, "-cf", archive, "."])
        let entries = try readAll(try TarReader(path: archive))
        #expect(entries.map(\.0.path) == ["", "etc"])
        #expect(entries[0].0.kind == .directory)
    }

    @Test func readsZipArchivesFromAPathAndFromAPipe() throws {
        let dir = try TemporaryDirectory("reader-zip")
        defer { dir.remove() }
        let zip = dir.appending("pkg-1.0-py3-none-any.whl").path
        try ArchiveTestSupport.python("""
        import sys, zipfile
        with zipfile.ZipFile(sys.argv[1], "w", compression=zipfile.ZIP_DEFLATED) as z:
            z.writestr("pkg/__init__.py", "VERSION = '1.0'\\n" * 100)
            info = zipfile.ZipInfo("pkg/tool.sh"); info.external_attr = (0o100755 << 16)
            z.writestr(info, "#!/bin/sh\\n")
            z.writestr("pkg-1.0.dist-info/RECORD", "pkg/__init__.py,,\\n")
        """, [zip])
        let seekable = try readAll(try TarReader(path: zip))
        #expect(seekable.map(\.0.path) == ["pkg/__init__.py", "pkg/tool.sh", "pkg-1.0.dist-info/RECORD"])
        #expect(seekable[0].1 == Array(String(repeating: "VERSION = '1.0'\n", count: 100).utf8))
        #expect(seekable[1].0.mode == 0o755)

        // Streaming: the same archive through a pipe, which cannot seek.
        let pipe = Pipe()
        let input = try Data(contentsOf: URL(fileURLWithPath: zip))
        let writer = Thread {
            pipe.fileHandleForWriting.write(input)
            try? pipe.fileHandleForWriting.close()
        }
        writer.start()
        let source = FileSource(fileDescriptor: pipe.fileHandleForReading.fileDescriptor)
        #expect(!source.isSeekable)
        let streamed = try readAll(try TarReader(source: source))
        #expect(streamed.map(\.0.path) == seekable.map(\.0.path))
        #expect(streamed.map(\.1) == seekable.map(\.1))
    }

    @Test func readsATarNestedInAZipThroughTheEntrysDataSource() throws {
        let dir = try TemporaryDirectory("reader-nested")
        defer { dir.remove() }
        try FileManager.default.createDirectory(atPath: dir.appending("pkg/lib").path, withIntermediateDirectories: true)
        try ArchiveTestSupport.write(Array("inner\n".utf8), to: dir.appending("pkg/lib/inner.txt").path)
        let inner = dir.appending("pkg-x.tar.zst").path
        try Command.check(["tar", "--zstd", "-C", dir.appending("pkg").path, "-cf", inner, "lib"])
        let conda = dir.appending("x.conda").path
        try ArchiveTestSupport.python("""
        import sys, zipfile
        with zipfile.ZipFile(sys.argv[1], "w", compression=zipfile.ZIP_STORED) as z:
            z.writestr("metadata.json", '{"conda_pkg_format_version": 2}')
            z.write(sys.argv[2], "pkg-x.tar.zst")
        """, [conda, inner])
        let outer = try TarReader(path: conda)
        var found: [String: [UInt8]] = [:]
        while let entry = try outer.next() {
            guard entry.path.hasSuffix(".tar.zst") else { continue }
            let nested = try TarReader(source: outer.dataSource(), options: .init(formats: [.tar]))
            while let member = try nested.next() { found[member.path] = try nested.readAll() }
        }
        #expect(found["lib/inner.txt"] == Array("inner\n".utf8))
    }

    @Test func readsWhatTarWriterWrote() throws {
        let sink = MemorySink()
        let writer = try TarWriter(sink: sink, defaultMtime: 99)
        let entries: [TarEntry] = [
            .directory("d", mode: 0o700, uid: 5, gid: 6),
            .file("d/f", size: 3, mode: 0o644),
            .symlink("d/s", target: "../x"),
            .hardLink("d/h", target: "d/f"),
            TarEntry(path: "d/fifo", kind: .fifo, mode: 0o600),
            TarEntry(path: "d/null", kind: .characterDevice(major: 1, minor: 3), mode: 0o666),
        ]
        for entry in entries {
            try writer.writeEntry(entry)
            if entry.isRegular { try writer.writeData([1, 2, 3]) }
        }
        try writer.finish()
        let dir = try TemporaryDirectory("reader-roundtrip")
        defer { dir.remove() }
        try ArchiveTestSupport.write(sink.bytes, to: dir.appending("t.tar").path)
        let read = try readAll(try TarReader(path: dir.appending("t.tar").path))
        var expected = entries
        for index in expected.indices { expected[index].mtime = 99 }
        #expect(read.map(\.0) == expected)
        #expect(read[1].1 == [1, 2, 3])
    }

    @Test func chunkedReadsDeliverTheWholeEntry() throws {
        let dir = try TemporaryDirectory("reader-chunks")
        defer { dir.remove() }
        let content = ArchiveTestSupport.sampleBytes(count: 3_000_000)
        try ArchiveTestSupport.write(content, to: dir.appending("big").path)
        let archive = dir.appending("big.tar.gz").path
        try Command.check(["tar", "-C", dir.path, "-czf", archive, "big"])
        let reader = try TarReader(path: archive)
        _ = try reader.next()
        var collected: [UInt8] = []
        var chunks = 0
        try reader.forEachChunk { collected.append(contentsOf: $0); chunks += 1 }
        #expect(DigestHasher.digest(of: collected) == DigestHasher.digest(of: content))
        #expect(chunks > 1)
        #expect(try reader.next() == nil)
    }
}

@Suite struct ChunkStreamSourceTests {
    /// Reads all entries of an archive fed through a chunk stream, on a dedicated thread.
    func readEntries(from chunks: ByteChunks) async throws -> [String: [UInt8]] {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread {
                do {
                    let reader = try TarReader(source: ChunkStreamSource(chunks, bufferedChunks: 2))
                    var found: [String: [UInt8]] = [:]
                    while let entry = try reader.next() { found[entry.path] = try reader.readAll() }
                    continuation.resume(returning: found)
                } catch {
                    continuation.resume(throwing: error)
                }
            }
            thread.start()
        }
    }

    func chunks(of bytes: [UInt8], size: Int, failing: Bool = false) -> ByteChunks {
        ByteChunks { continuation in
            for start in stride(from: 0, to: bytes.count, by: size) {
                continuation.yield(ByteBuffer(bytes: bytes[start..<min(start + size, bytes.count)]))
            }
            continuation.finish(throwing: failing ? FailingSink.Failure() : nil)
        }
    }

    func gzippedTar() throws -> [UInt8] {
        let sink = MemorySink()
        let writer = try TarWriter(sink: try GzipCompressor(into: sink))
        try writer.writeEntry(.directory("d"))
        let data = ArchiveTestSupport.sampleBytes(count: 500_000)
        try writer.writeEntry(.file("d/data", size: Int64(data.count)))
        try writer.writeData(data)
        try writer.finish()
        return sink.bytes
    }

    @Test func readsAGzippedTarFromAnAsyncChunkStream() async throws {
        let found = try await readEntries(from: chunks(of: try gzippedTar(), size: 7000))
        #expect(found["d/data"].map { DigestHasher.digest(of: $0) } == DigestHasher.digest(of: ArchiveTestSupport.sampleBytes(count: 500_000)))
        #expect(found["d"] == [])
    }

    @Test func theStreamsErrorReachesTheReader() async throws {
        let bytes = try gzippedTar()
        await #expect(throws: FailingSink.Failure.self) {
            _ = try await readEntries(from: chunks(of: Array(bytes.prefix(bytes.count / 2)), size: 4096, failing: true))
        }
    }
}
