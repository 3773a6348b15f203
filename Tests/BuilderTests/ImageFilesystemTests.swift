import Archive
import Builder
import Foundation
import OCI
import Testing
import TestSupport

/// The merged view of layers: whiteouts, opaque directories, replacements, links and file reads.
@Suite struct ImageFilesystemTests {
    /// Writes a layer from `contents` into `store` and returns it as a view layer.
    static func layer(_ store: BlobStore, _ build: (inout LayerContents) throws -> Void) throws -> ImageFilesystem.Layer {
        var contents = LayerContents()
        try build(&contents)
        let writer = try LayerWriter(store: store)
        try contents.write(to: writer)
        let blob = try writer.finish()
        return ImageFilesystem.Layer(descriptor: blob.descriptor, path: blob.path)
    }

    @Test func whiteoutsHideLowerLayersAndOpaqueDirectoriesHideTheirLowerChildren() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = BlobStore(root: directory.path)
        let bottom = try Self.layer(store) { contents in
            try contents.addFile("etc/passwd", contents: Array("root:x:0:0\n".utf8))
            try contents.addFile("usr/share/doc/a.txt", contents: Array("a".utf8))
            try contents.addFile("usr/share/doc/b.txt", contents: Array("b".utf8))
            try contents.addFile("opt/app/old.py", contents: Array("old".utf8))
            try contents.addFile("bin/tool", contents: Array("#!/bin/sh\n".utf8), mode: 0o755, uid: 1000, gid: 100)
            try contents.add(.symlink("bin/sh", target: "busybox"))
            try contents.addFile("bin/busybox", contents: Array("busybox".utf8), mode: 0o755)
            try contents.add(.symlink("usr/bin/sh", target: "../../bin/./sh"))
        }
        let top = try Self.layer(store) { contents in
            try contents.addWhiteout(removing: "usr/share/doc/a.txt")
            try contents.addOpaqueWhiteout(in: "opt/app")
            try contents.addFile("opt/app/new.py", contents: Array("new".utf8))
            try contents.addFile("etc/passwd", contents: Array("root:x:0:0\napp:x:1000:100\n".utf8))
        }
        let filesystem = ImageFilesystem()
        try filesystem.apply(bottom)
        try filesystem.apply(top)

        #expect(!filesystem.exists("/usr/share/doc/a.txt"))
        #expect(filesystem.exists("/usr/share/doc/b.txt"))
        #expect(!filesystem.exists("/opt/app/old.py"))
        #expect(filesystem.children("/opt/app").map(\.path) == ["/opt/app/new.py"])
        #expect(filesystem.entry("/etc/passwd")?.layer == 1)
        #expect(String(decoding: try filesystem.readFile("/etc/passwd"), as: UTF8.self) == "root:x:0:0\napp:x:1000:100\n")
        let tool = try #require(filesystem.entry("/bin/tool"))
        #expect(tool.mode == 0o755 && tool.uid == 1000 && tool.gid == 100 && tool.size == 10 && tool.layer == 0)
        #expect(filesystem.entry("/bin/sh")?.linkTarget == "busybox")
        #expect(filesystem.resolve("/bin/sh") == "/bin/busybox")
        #expect(filesystem.resolve("/usr/bin/sh") == "/bin/busybox")
        #expect(filesystem.resolve("/usr/bin/sh", followLast: false) == "/usr/bin/sh")
        #expect(String(decoding: try filesystem.readFile("/bin/sh"), as: UTF8.self) == "busybox")
        #expect(filesystem.glob("/usr/share/*/*.txt") == ["/usr/share/doc/b.txt"])
        #expect(filesystem.glob("/**/*.py") == ["/opt/app/new.py"])
        let files = try filesystem.readFiles(["/etc/passwd", "/usr/share/doc/b.txt", "/missing"])
        #expect(files.keys.sorted() == ["/etc/passwd", "/usr/share/doc/b.txt"])
        #expect(filesystem.entry("/usr")?.isDirectory == true)
    }

    @Test func aRestoredSnapshotAnswersLikeTheViewItWasTakenFrom() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = BlobStore(root: directory.path)
        let layer = try Self.layer(store) { contents in
            try contents.addFile("etc/motd", contents: Array("hi\n".utf8), mode: 0o600, uid: 7, gid: 8)
            try contents.add(.symlink("etc/link", target: "motd"))
            try contents.add(.hardLink("etc/zhard", target: "etc/motd"))
            try contents.addFile("odd/tab\tname%", contents: [])
        }
        let original = ImageFilesystem()
        try original.apply(layer)
        let restored = ImageFilesystem()
        let entries = original.snapshot()
        restored.restore(layers: original.layers) { add in entries.forEach(add) }
        #expect(restored.snapshot().sorted { $0.path < $1.path } == entries.sorted { $0.path < $1.path })
        #expect(restored.count == original.count)
        #expect(String(decoding: try restored.readFile("/etc/link"), as: UTF8.self) == "hi\n")
        #expect(String(decoding: try restored.readFile("/etc/zhard"), as: UTF8.self) == "hi\n")
        #expect(restored.entry("/etc/zhard")?.size == 3)
        #expect(restored.exists("/odd/tab\tname%"))
    }

    @Test func aFileReplacingADirectoryRemovesItsSubtree() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = BlobStore(root: directory.path)
        let bottom = try Self.layer(store) { try $0.addFile("data/x/y", contents: Array("y".utf8)) }
        let top = try Self.layer(store) { try $0.addFile("data/x", contents: Array("now a file".utf8)) }
        let filesystem = ImageFilesystem()
        try filesystem.apply(bottom)
        try filesystem.apply(top)
        #expect(filesystem.entry("/data/x")?.kind == .regular)
        #expect(!filesystem.exists("/data/x/y"))
        #expect(filesystem.count == 3)  // /, /data, /data/x
    }

    /// Measures the index for many paths (the size of a DLC image is ~500k): prints the bytes
    /// per path so the figure can be reported; fails only if it is absurd.
    @Test func indexMemoryStaysCompactForManyPaths() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = BlobStore(root: directory.path)
        let count = 200_000
        // Written straight to the layer writer, already in layer order (zero-padded names).
        let writer = try LayerWriter(store: store)
        for directory in ["opt", "opt/conda", "opt/conda/lib", "opt/conda/lib/python3.10", "opt/conda/lib/python3.10/site-packages"] {
            try writer.add(.directory(directory))
        }
        for package in 0..<(count / 1000) {
            let directory = "opt/conda/lib/python3.10/site-packages/pkg" + String(format: "%03d", package)
            try writer.add(.directory(directory))
            for module in 0..<1000 {
                try writer.add(.file(directory + "/module_" + String(format: "%04d", module) + ".py", size: 0))
            }
        }
        let blob = try writer.finish()
        let layer = ImageFilesystem.Layer(descriptor: blob.descriptor, path: blob.path)
        let readStarted = ContinuousClock.now
        let reader = try TarReader(path: blob.path)
        var entries = 0
        while try reader.next() != nil { entries += 1 }
        print("TarReader alone: \(entries) entries in \(ContinuousClock.now - readStarted)")
        let before = Self.residentBytes()
        let started = ContinuousClock.now
        let filesystem = ImageFilesystem()
        try filesystem.apply(layer)
        let elapsed = ContinuousClock.now - started
        let after = Self.residentBytes()
        #expect(filesystem.count > count)
        let perPath = Double(after - before) / Double(filesystem.count)
        print("ImageFilesystem: \(filesystem.count) paths, \(after - before) bytes resident growth, \(Int(perPath)) bytes per path, applied in \(elapsed)")
        #expect(perPath < 400)
    }

    static func residentBytes() -> Int {
        guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
        let fields = text.split(separator: " ")
        guard fields.count > 1, let pages = Int(fields[1]) else { return 0 }
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
    }
}
