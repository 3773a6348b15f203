import Archive
import Conda
import Foundation
import OCI
import Testing
import TestSupport

/// Linking real packages (made at test time) into a layer, then reading the layer back.
@Suite("conda link step")
struct CondaLinkerTests {
    static let placeholder = "/opt/anaconda1anaconda2anaconda3"

    /// A `.tar.bz2` package from files (path → bytes) and symlinks (path → target).
    static func package(
        in directory: TemporaryDirectory, name: String, files: [String: [UInt8]], symlinks: [String: String] = [:]
    ) async throws -> String {
        let root = directory.appending("src-\(name)").path
        for (path, bytes) in files {
            let url = URL(fileURLWithPath: "\(root)/\(path)")
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(bytes).write(to: url)
        }
        for (path, target) in symlinks {
            try FileManager.default.createDirectory(
                atPath: "\(root)/\((path as NSString).deletingLastPathComponent)", withIntermediateDirectories: true)
            try FileManager.default.createSymbolicLink(atPath: "\(root)/\(path)", withDestinationPath: target)
        }
        let output = "\(directory.path)/\(name).tar.bz2"
        try await Command.check(["tar", "-C", root, "-cjf", output, "."])
        return output
    }

    /// The layer's entries and file contents, read back with libarchive.
    static func read(layer path: String) throws -> [String: (TarEntry, [UInt8])] {
        let reader = try TarReader(path: path, options: .init(formats: [.tar]))
        var result: [String: (TarEntry, [UInt8])] = [:]
        while let entry = try reader.next() {
            let bytes = entry.isRegular ? try reader.readAll() : []
            result[entry.path] = (entry, bytes)
        }
        return result
    }

    static func link(_ package: String, name: String, linker: CondaLinker, directory: TemporaryDirectory) throws
        -> (CondaLinker.LinkedPackage, [String: (TarEntry, [UInt8])])
    {
        var contents = LayerContents()
        let record = CondaPackageRecord(
            name: name, version: "1.0", build: "0", buildNumber: 0, subdir: "linux-64", fn: (package as NSString).lastPathComponent,
            url: "https://conda.example/\(name)", channel: "https://conda.example", md5: "0123")
        let linked = try linker.link(
            CondaPackageArchive(path: package), record: record, requestedSpec: name, into: &contents,
            spillDirectory: directory.appending("spill-\(name)").path)
        let store = BlobStore(root: directory.appending("store").path)
        let writer = try LayerWriter(store: store, options: .init(compression: .none))
        try contents.write(to: writer)
        let layer = try writer.finish()
        return (linked, try read(layer: layer.path))
    }

    @Test("text and binary placeholders are replaced (binary padded to its length), other files kept, a conda-meta record written")
    func linksWithPrefixReplacement() async throws {
        let directory = try TemporaryDirectory("conda-link")
        defer { directory.remove() }
        let binary: [UInt8] = [0x7F, 0x45, 0x4C, 0x46] + Array("\(Self.placeholder)/lib\0tail".utf8) + [0, 1, 2]
        let big = [UInt8](repeating: 0x61, count: 600_000)
        let paths = """
            {"paths_version": 1, "paths": [
              {"_path": "bin/tool", "path_type": "hardlink", "prefix_placeholder": "\(Self.placeholder)", "file_mode": "text"},
              {"_path": "lib/libx.so.1", "path_type": "hardlink", "prefix_placeholder": "\(Self.placeholder)", "file_mode": "binary"},
              {"_path": "lib/libx.so", "path_type": "softlink"},
              {"_path": "share/big.dat", "path_type": "hardlink"}]}
            """
        let package = try await Self.package(in: directory, name: "x", files: [
            "info/index.json": Array(#"{"name": "x", "version": "1.0", "build": "0", "build_number": 0, "depends": ["libgcc"]}"#.utf8),
            "info/paths.json": Array(paths.utf8),
            "bin/tool": Array("#!\(Self.placeholder)/bin/python\nprint('\(Self.placeholder)')\n".utf8),
            "lib/libx.so.1": binary,
            "share/big.dat": big,
        ], symlinks: ["lib/libx.so": "libx.so.1"])
        let (linked, layer) = try Self.link(package, name: "x", linker: CondaLinker(prefix: "/opt/conda", pythonVersion: nil), directory: directory)
        #expect(String(decoding: layer["opt/conda/bin/tool"]?.1 ?? [], as: UTF8.self) == "#!/opt/conda/bin/python\nprint('/opt/conda')\n")
        let rewritten = layer["opt/conda/lib/libx.so.1"]?.1 ?? []
        #expect(rewritten.count == binary.count)
        #expect(rewritten.starts(with: [0x7F, 0x45, 0x4C, 0x46] + Array("/opt/conda/lib\0".utf8)))
        #expect(Array(rewritten.suffix(3)) == [0, 1, 2])
        #expect(layer["opt/conda/lib/libx.so"]?.0.kind == .symlink(target: "libx.so.1"))
        #expect(layer["opt/conda/share/big.dat"]?.1 == big)  // spilled, then added from the spill file
        #expect(layer.keys.allSatisfy { !$0.contains("info/") })

        let record = try JSONSerialization.jsonObject(with: Data(layer["opt/conda/conda-meta/x-1.0-0.json"]?.1 ?? [])) as? [String: Any] ?? [:]
        #expect(record["name"] as? String == "x")
        #expect(record["requested_spec"] as? String == "x")
        #expect(record["depends"] as? [String] == ["libgcc"])
        #expect(record["files"] as? [String] == ["bin/tool", "lib/libx.so", "lib/libx.so.1", "share/big.dat"])
        let pathsData = (record["paths_data"] as? [String: Any])?["paths"] as? [[String: Any]] ?? []
        let tool = pathsData.first { $0["_path"] as? String == "bin/tool" } ?? [:]
        #expect(tool["sha256"] as? String == DigestHasher.digest(of: layer["opt/conda/bin/tool"]?.1 ?? []).hex)
        #expect(pathsData.first { $0["_path"] as? String == "lib/libx.so" }?["path_type"] as? String == "softlink")
        #expect(linked.metadataPath == "opt/conda/conda-meta/x-1.0-0.json")
    }

    @Test("a binary placeholder shorter than the prefix is refused with the file named")
    func prefixTooLong() async throws {
        let directory = try TemporaryDirectory("conda-link")
        defer { directory.remove() }
        let package = try await Self.package(in: directory, name: "y", files: [
            "info/index.json": Array(#"{"name": "y", "version": "1.0", "build": "0"}"#.utf8),
            "info/paths.json": Array(#"{"paths_version": 1, "paths": [{"_path": "lib/liby.so", "path_type": "hardlink", "prefix_placeholder": "/short", "file_mode": "binary"}]}"#.utf8),
            "lib/liby.so": Array("/short/x\0".utf8),
        ])
        #expect {
            _ = try Self.link(package, name: "y", linker: CondaLinker(prefix: "/opt/conda", pythonVersion: nil), directory: directory)
        } throws: { error in
            String(describing: error).contains("lib/liby.so")
        }
    }

    @Test("noarch: python goes into the prefix's site-packages, with console scripts from the entry points")
    func noarchPython() async throws {
        let directory = try TemporaryDirectory("conda-link")
        defer { directory.remove() }
        let package = try await Self.package(in: directory, name: "z", files: [
            "info/index.json": Array(#"{"name": "z", "version": "1.0", "build": "pyhd8ed1ab_0", "noarch": "python"}"#.utf8),
            "info/paths.json": Array(#"{"paths_version": 1, "paths": [{"_path": "site-packages/zpkg/__init__.py", "path_type": "hardlink"}, {"_path": "site-packages/zpkg/cli.py", "path_type": "hardlink"}]}"#.utf8),
            "info/link.json": Array(#"{"noarch": {"type": "python", "entry_points": ["zcli = zpkg.cli:main"]}, "package_metadata_version": 1}"#.utf8),
            "site-packages/zpkg/__init__.py": Array("VALUE = 7\n".utf8),
            "site-packages/zpkg/cli.py": Array("def main():\n    print('z')\n    return 0\n".utf8),
        ])
        let linker = CondaLinker(prefix: "/opt/conda", pythonVersion: "3.10")
        let (linked, layer) = try Self.link(package, name: "z", linker: linker, directory: directory)
        #expect(layer["opt/conda/lib/python3.10/site-packages/zpkg/__init__.py"]?.1 == Array("VALUE = 7\n".utf8))
        let script = String(decoding: layer["opt/conda/bin/zcli"]?.1 ?? [], as: UTF8.self)
        #expect(script.hasPrefix("#!/opt/conda/bin/python\n"))
        #expect(script.contains("from zpkg.cli import main"))
        #expect((layer["opt/conda/bin/zcli"]?.0.mode ?? 0) & 0o111 != 0)
        #expect(linked.files == ["bin/zcli", "lib/python3.10/site-packages/zpkg/__init__.py", "lib/python3.10/site-packages/zpkg/cli.py"])
        // Without a Python in the prefix the package is refused.
        #expect(throws: CondaLinkError.self) {
            _ = try Self.link(package, name: "z", linker: CondaLinker(prefix: "/opt/conda", pythonVersion: nil), directory: directory)
        }
    }

    @Test("a package with a post-link script is refused: it would have to run")
    func linkScriptsRefused() async throws {
        let directory = try TemporaryDirectory("conda-link")
        defer { directory.remove() }
        let package = try await Self.package(in: directory, name: "w", files: [
            "info/index.json": Array(#"{"name": "w", "version": "1.0", "build": "0"}"#.utf8),
            "info/paths.json": Array(#"{"paths_version": 1, "paths": [{"_path": "bin/.w-post-link.sh", "path_type": "hardlink"}]}"#.utf8),
            "bin/.w-post-link.sh": Array("echo hi\n".utf8),
        ])
        #expect {
            _ = try Self.link(package, name: "w", linker: CondaLinker(prefix: "/opt/conda", pythonVersion: nil), directory: directory)
        } throws: { error in
            String(describing: error).contains("link scripts (bin/.w-post-link.sh)")
        }
    }
}
