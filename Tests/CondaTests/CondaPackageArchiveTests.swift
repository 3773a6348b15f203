import Archive
import Conda
import Foundation
import Testing
import TestSupport

/// Real conda packages made at test time, in both formats, read back without extracting them.
@Suite("conda package files")
struct CondaPackageArchiveTests {
    /// Writes a package directory (info/ and a payload) and packs it as `.tar.bz2` (Python's
    /// tarfile) and as `.conda` (a zip of info-*.tar.zst and pkg-*.tar.zst made with the zstd CLI).
    static func makePackages(in directory: TemporaryDirectory, legacy: Bool = false) async throws -> (tarBz2: String, conda: String) {
        let root = directory.appending("pkg").path
        let placeholder = "/opt/anaconda1anaconda2anaconda3"
        let files: [String: String] = [
            "info/index.json": #"{"name": "demo", "version": "1.2.0", "build": "py310_0", "build_number": 0, "depends": ["python >=3.10"], "subdir": "linux-64"}"#,
            "bin/demo-tool": "#!\(placeholder)/bin/python\nprint('demo')\n",
            "lib/python3.10/site-packages/demo/__init__.py": "VALUE = 42\n",
        ]
        var all = files
        if legacy {
            all["info/files"] = "bin/demo-tool\nlib/python3.10/site-packages/demo/__init__.py\nlib/libdemo.so\n"
            all["info/has_prefix"] = "bin/demo-tool\n"
        } else {
            all["info/paths.json"] = """
                {"paths_version": 1, "paths": [
                  {"_path": "bin/demo-tool", "path_type": "hardlink", "prefix_placeholder": "\(placeholder)", "file_mode": "text", "sha256": "0", "size_in_bytes": 1},
                  {"_path": "lib/python3.10/site-packages/demo/__init__.py", "path_type": "hardlink", "sha256": "0", "size_in_bytes": 11},
                  {"_path": "lib/libdemo.so", "path_type": "softlink", "sha256": "0", "size_in_bytes": 0}]}
                """
            all["info/link.json"] = #"{"noarch": {"type": "python", "entry_points": ["demo = demo.cli:main"]}, "package_metadata_version": 1}"#
        }
        for (path, text) in all {
            let url = URL(fileURLWithPath: "\(root)/\(path)")
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: url, atomically: true, encoding: .utf8)
        }
        try FileManager.default.createSymbolicLink(atPath: "\(root)/lib/libdemo.so", withDestinationPath: "../bin/demo-tool")
        let python = Harness.value("SMIMG_TEST_PYTHON") ?? "python3"
        let script = """
            import os, subprocess, sys, tarfile, zipfile
            root, out = sys.argv[1], sys.argv[2]
            def add(tar, names):
                for name in sorted(names):
                    tar.add(os.path.join(root, name), arcname=name, recursive=False)
            everything = []
            for d, dirs, files in os.walk(root):
                for f in files + [x for x in dirs if os.path.islink(os.path.join(d, x))]:
                    everything.append(os.path.relpath(os.path.join(d, f), root))
            info = [n for n in everything if n.startswith("info/")]
            pkg = [n for n in everything if not n.startswith("info/")]
            with tarfile.open(out + "/demo-1.2.0-py310_0.tar.bz2", "w:bz2") as tar:
                add(tar, pkg + info)
            for part, names in (("info", info), ("pkg", pkg)):
                with tarfile.open(out + "/" + part + ".tar", "w") as tar:
                    add(tar, names)
                subprocess.check_call(["zstd", "-q", "-f", out + "/" + part + ".tar", "-o", out + "/" + part + ".tar.zst"])
            with zipfile.ZipFile(out + "/demo-1.2.0-py310_0.conda", "w", zipfile.ZIP_STORED) as z:
                z.writestr("metadata.json", '{"conda_pkg_format_version": 2}')
                z.write(out + "/pkg.tar.zst", "pkg-demo-1.2.0-py310_0.tar.zst")
                z.write(out + "/info.tar.zst", "info-demo-1.2.0-py310_0.tar.zst")
            """
        try await Command.check([python, "-c", script, root, directory.path])
        return ("\(directory.path)/demo-1.2.0-py310_0.tar.bz2", "\(directory.path)/demo-1.2.0-py310_0.conda")
    }

    @Test("both formats give the same info: index, paths with placeholders, noarch entry points")
    func infoFromBothFormats() async throws {
        let directory = try TemporaryDirectory("conda-pkg")
        defer { directory.remove() }
        let (tarBz2, conda) = try await Self.makePackages(in: directory)
        for path in [tarBz2, conda] {
            let info = try CondaPackageArchive(path: path).info()
            #expect(info.index.distName == "demo-1.2.0-py310_0", "\(path)")
            #expect(info.index.depends == ["python >=3.10"])
            #expect(info.index.fn == (path as NSString).lastPathComponent)
            #expect(info.paths.entries.map(\.path) == [
                "bin/demo-tool", "lib/python3.10/site-packages/demo/__init__.py", "lib/libdemo.so",
            ])
            #expect(info.paths.entries.first?.prefixPlaceholder == "/opt/anaconda1anaconda2anaconda3")
            #expect(info.entryPoints == ["demo = demo.cli:main"])
            #expect(info.files["paths.json"] != nil)
        }
    }

    @Test("the payload streams without info/, with file contents and symlinks intact")
    func payloadStreams() async throws {
        let directory = try TemporaryDirectory("conda-pkg")
        defer { directory.remove() }
        let (tarBz2, conda) = try await Self.makePackages(in: directory)
        for path in [tarBz2, conda] {
            var seen: [String: String] = [:]
            try CondaPackageArchive(path: path).forEachPayloadEntry { entry, reader in
                switch entry.kind {
                case .regular: seen[entry.path] = String(decoding: try reader.readAll(), as: UTF8.self)
                case .symlink(let target): seen[entry.path] = "-> \(target)"; try reader.skipData()
                default: try reader.skipData()
                }
            }
            #expect(seen["lib/python3.10/site-packages/demo/__init__.py"] == "VALUE = 42\n", "\(path)")
            #expect(seen["lib/libdemo.so"] == "-> ../bin/demo-tool")
            #expect(seen["bin/demo-tool"]?.hasPrefix("#!/opt/anaconda1anaconda2anaconda3/bin/python") == true)
            #expect(!seen.keys.contains { $0.hasPrefix("info/") })
        }
    }

    @Test("a legacy package (info/files and has_prefix) reads, with its symlinks found in the payload")
    func legacyInfo() async throws {
        let directory = try TemporaryDirectory("conda-pkg")
        defer { directory.remove() }
        let (tarBz2, _) = try await Self.makePackages(in: directory, legacy: true)
        let info = try CondaPackageArchive(path: tarBz2).info()
        let byPath = Dictionary(uniqueKeysWithValues: info.paths.entries.map { ($0.path, $0) })
        #expect(byPath["bin/demo-tool"]?.prefixPlaceholder == "/opt/anaconda1anaconda2anaconda3")
        #expect(byPath["lib/libdemo.so"]?.pathType == .softlink)
        #expect(info.entryPoints.isEmpty)
    }

    @Test("not a package: a clear error naming the file")
    func notAPackage() async throws {
        #expect(throws: CondaPackageError.self) { try CondaPackageArchive(path: "/tmp/x.zip") }
        let directory = try TemporaryDirectory("conda-pkg")
        defer { directory.remove() }
        let path = "\(directory.path)/empty-1-0.tar.bz2"
        try await Command.check(["tar", "-cjf", path, "-T", "/dev/null"])
        #expect { try CondaPackageArchive(path: path).info() } throws: { error in
            String(describing: error).contains("has no info/index.json")
        }
    }

    @Test("link scripts are found so the builder can refuse the package")
    func linkScripts() {
        let paths = PathsJSON(entries: [PathEntry(path: "bin/.demo-post-link.sh"), PathEntry(path: "bin/demo")])
        #expect(CondaPackageArchive.linkScripts(in: paths, name: "demo") == ["bin/.demo-post-link.sh"])
    }
}
