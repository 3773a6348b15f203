import Foundation
import Testing
import TestSupport

/// `conda:` steps against real packages made at test time, served by a loopback channel, on a
/// base image with a conda prefix; the result unpacked with umoci and read with Python.
@Suite(.enabled(if: Harness.isUp)) struct CondaStepTests {
    static let placeholder = CondaChannelFixture.placeholder

    /// `X.Y` of the host Python, which plays the prefix's Python.
    static func hostPython() async throws -> (command: String, version: String) {
        let python = Harness.value("SMIMG_TEST_PYTHON") ?? "python3"
        let version = try await Command.check([python, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"]).stdout
        return (python, version.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// An ELF-like binary with the placeholder inside a NUL-terminated string.
    static let binaryHex: String = {
        let bytes: [UInt8] = [0x7F, 0x45, 0x4C, 0x46, 2, 1, 1, 0] + Array("RPATH=\(placeholder)/lib".utf8) + [0] + Array(repeating: 0xAB, count: 64)
        return bytes.map { String(format: "%02x", $0) }.joined()
    }()

    static func channelPackages(python: String) -> [[String: Any]] {
        [
            ["name": "textpkg", "version": "1.0", "build": "0", "format": "tar.bz2", "depends": ["libbin >=1"],
             "files": ["bin/textpkg-run": ["text": "#!\(placeholder)/bin/python\nprint('textpkg at \(placeholder)')\n", "placeholder": "text", "mode": 0o755],
                       "share/textpkg/README": ["text": "plain\n"]]],
            ["name": "textpkg", "version": "0.9", "build": "0", "format": "tar.bz2", "depends": [],
             "files": ["bin/textpkg-run": ["text": "old\n"]]],
            // The newest textpkg needs a libbin nobody has: the solver must fall back to 1.0.
            ["name": "textpkg", "version": "1.1", "build": "0", "format": "conda", "depends": ["libbin >=5"],
             "files": ["bin/textpkg-run": ["text": "too new\n"]]],
            ["name": "libbin", "version": "1.2", "build": "h0_0", "format": "conda",
             "files": ["lib/libbin.so.1": ["hex": binaryHex, "placeholder": "binary", "mode": 0o755]],
             "symlinks": ["lib/libbin.so": "libbin.so.1"]],
            ["name": "noarchpkg", "version": "0.5", "build": "py_0", "subdir": "noarch", "noarch": "python", "format": "conda",
             "depends": ["python"],
             "files": ["site-packages/noarchpkg/__init__.py": ["text": "def main():\n    print('hello from noarchpkg')\nVALUE = 7\n"]],
             "entry_points": ["noarch-hello = noarchpkg:main"]],
            ["name": "demo", "version": "2.0", "build": "0", "format": "tar.bz2",
             "files": ["share/demo/common.txt": ["text": "version 2\n"]]],
            ["name": "scripted", "version": "1.0", "build": "0", "format": "tar.bz2",
             "files": ["share/scripted/x": ["text": "x\n"]], "scripts": ["post-link": "echo hi\n"]],
        ]
    }

    /// A recipe directory with a base image (an `oci:` layout made by smimg from a host tree)
    /// whose `/opt/conda` has python, oldpkg and demo 1.0 installed, and a channel on loopback.
    struct Setup {
        let fixture: BuildFixture
        let server: FileServer
        let channel: CondaChannelFixture
        let python: (command: String, version: String)

        var channelURL: String { server.baseURL + "/channel" }

        func remove() {
            server.stop()
            fixture.remove()
        }
    }

    static func record(_ name: String, _ version: String, _ build: String, files: [String], depends: [String] = []) -> String {
        let object: [String: Any] = [
            "name": name, "version": version, "build": build, "build_number": 0, "channel": "https://conda.anaconda.org/conda-forge",
            "subdir": "linux-64", "depends": depends, "files": files, "url": "https://conda.anaconda.org/conda-forge/linux-64/\(name)-\(version)-\(build).conda",
            "md5": String(repeating: "0", count: 32),
        ]
        return String(decoding: try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
    }

    static func setUp() async throws -> Setup {
        let fixture = try BuildFixture("smimg-conda")
        let python = try await hostPython()
        let site = "lib/python\(python.version)/site-packages"
        try fixture.write("prefix/conda-meta/python-\(python.version).0-h0_0.json", record("python", python.version + ".0", "h0_0", files: []))
        try fixture.write(
            "prefix/conda-meta/oldpkg-1.0-0.json",
            record("oldpkg", "1.0", "0", files: ["lib/oldpkg/data.txt", "lib/oldpkg/more.txt", "bin/oldtool"]))
        try fixture.write("prefix/conda-meta/oldplugin-1.0-0.json", record("oldplugin", "1.0", "0", files: ["share/oldplugin.txt"], depends: ["oldpkg >=1"]))
        try fixture.write("prefix/conda-meta/demo-1.0-0.json", record("demo", "1.0", "0", files: ["share/demo/v1.txt", "share/demo/common.txt"]))
        try fixture.write("prefix/conda-meta/history", "==> 2023-01-01 00:00:00 <==\n# cmd: conda create\n+conda-forge/linux-64::python-\(python.version).0-h0_0\n")
        try fixture.write("prefix/lib/oldpkg/data.txt", "old data\n")
        try fixture.write("prefix/lib/oldpkg/more.txt", "more\n")
        try fixture.write("prefix/bin/oldtool", "#!/bin/sh\n", mode: 0o755)
        try fixture.write("prefix/bin/python", "#!/bin/sh\n", mode: 0o755)
        try fixture.write("prefix/share/oldplugin.txt", "plugin\n")
        try fixture.write("prefix/share/demo/v1.txt", "v1 only\n")
        try fixture.write("prefix/share/demo/common.txt", "version 1\n")
        try fixture.write("prefix/\(site)/keep.txt", "site-packages exists\n")
        try fixture.write("base.yml", "image: test/conda-base:1\nbase: scratch\nsteps:\n  - copy: {src: prefix/, dest: /opt/conda/}\n")
        let base = try await fixture.build(["--output", "oci:\(fixture.path)/base:base"], recipe: fixture.path + "/base.yml")
        #expect(base.status == 0, "\(base.output)")

        let channel = try await CondaChannelFixture(directory: fixture.path + "/served/channel", packages: channelPackages(python: python.version))
        let server = try FileServer(root: fixture.path + "/served")
        return Setup(fixture: fixture, server: server, channel: channel, python: python)
    }

    static func unpack(_ layout: String, tag: String, into bundle: String) async throws -> String {
        try await Command.check(["umoci", "unpack", "--image", "\(layout):\(tag)", bundle])
        return bundle + "/rootfs"
    }

    static func text(_ path: String) -> String? {
        FileManager.default.contents(atPath: path).map { String(decoding: $0, as: UTF8.self) }
    }

    @Test func installRemoveAndReplaceLeaveThePrefixAsCondaWould() async throws {
        let setup = try await Self.setUp()
        defer { setup.remove() }
        let fixture = setup.fixture
        try fixture.writeRecipe("""
            image: test/conda:1
            base: oci:base:base
            steps:
              - conda:
                  channels: [\(setup.channelURL)]
                  remove: [oldpkg]
                  install: [textpkg, "noarchpkg>=0.5", demo=2.0]
            """)
        let layout = fixture.path + "/image"
        let built = try await fixture.build(["--output", "oci:\(layout):t", "--json"])
        #expect(built.status == 0, "\(built.output)")
        #expect(built.stderr.contains("also removing oldplugin"), "\(built.stderr)")
        let rootfs = try await Self.unpack(layout, tag: "t", into: fixture.path + "/bundle")
        let prefix = rootfs + "/opt/conda"

        // Text placeholder replaced everywhere; files where conda puts them.
        #expect(Self.text(prefix + "/bin/textpkg-run") == "#!/opt/conda/bin/python\nprint('textpkg at /opt/conda')\n")
        #expect(try FileManager.default.attributesOfItem(atPath: prefix + "/bin/textpkg-run")[.posixPermissions] as? Int == 0o755)
        #expect(Self.text(prefix + "/share/textpkg/README") == "plain\n")
        // Binary placeholder replaced and NUL-padded: same length, same bytes after it.
        let original = Array(Self.binaryHex.utf8).chunked()
        let binary = try #require(FileManager.default.contents(atPath: prefix + "/lib/libbin.so.1")).map { $0 }
        #expect(binary.count == original.count)
        let expected = [UInt8](original[0..<8]) + Array("RPATH=/opt/conda/lib".utf8)
            + [UInt8](repeating: 0, count: Self.placeholder.count - "/opt/conda".count) + [0] + [UInt8](repeating: 0xAB, count: 64)
        #expect(binary == expected)
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: prefix + "/lib/libbin.so") == "libbin.so.1")

        // noarch python: into site-packages, importable with the prefix's Python, with a launcher.
        let site = prefix + "/lib/python\(setup.python.version)/site-packages"
        #expect(FileManager.default.fileExists(atPath: site + "/noarchpkg/__init__.py"))
        #expect(FileManager.default.fileExists(atPath: site + "/keep.txt"))
        let imported = try await Command.check([setup.python.command, "-c", "import sys; sys.path.insert(0, sys.argv[1]); import noarchpkg; print(noarchpkg.VALUE)", site])
        #expect(imported.stdout == "7\n")
        let launcher = try #require(Self.text(prefix + "/bin/noarch-hello"))
        #expect(launcher.hasPrefix("#!/opt/conda/bin/python"), "\(launcher)")
        #expect(launcher.contains("from noarchpkg import main"), "\(launcher)")

        // Removed (with its dependent) and replaced packages leave nothing behind.
        for gone in ["lib/oldpkg/data.txt", "lib/oldpkg/more.txt", "lib/oldpkg", "bin/oldtool", "share/oldplugin.txt", "share/demo/v1.txt",
                     "conda-meta/oldpkg-1.0-0.json", "conda-meta/oldplugin-1.0-0.json", "conda-meta/demo-1.0-0.json"] {
            #expect(!FileManager.default.fileExists(atPath: prefix + "/" + gone), "\(gone) should be gone")
        }
        #expect(Self.text(prefix + "/share/demo/common.txt") == "version 2\n")

        // conda-meta: valid records a reader accepts, every listed file present.
        let reader = """
            import json, os, sys
            prefix = sys.argv[1]
            names = []
            for name in sorted(os.listdir(os.path.join(prefix, "conda-meta"))):
                if not name.endswith(".json"): continue
                record = json.load(open(os.path.join(prefix, "conda-meta", name)))
                for key in ("name", "version", "build", "build_number", "channel", "depends", "files"):
                    assert key in record, (name, key)
                assert name == "%s-%s-%s.json" % (record["name"], record["version"], record["build"]), name
                for path in record["files"]:
                    assert os.path.lexists(os.path.join(prefix, path)), (name, path)
                if "paths_data" in record:
                    listed = [p["_path"] for p in record["paths_data"]["paths"]]
                    assert listed == record["files"], (name, listed)
                    for p in record["paths_data"]["paths"]:
                        if p.get("path_type") == "hardlink" and "size_in_bytes" in p:
                            assert os.path.getsize(os.path.join(prefix, p["_path"])) == p["size_in_bytes"], p
                names.append("%s=%s" % (record["name"], record["version"]))
            print(" ".join(names))
            """
        let listed = try await Command.check([setup.python.command, "-c", reader, prefix]).stdout
        #expect(listed == "demo=2.0 libbin=1.2 noarchpkg=0.5 python=\(setup.python.version).0 textpkg=1.0\n")
        let textRecord = try #require(try JSONSerialization.jsonObject(
            with: Data(contentsOf: URL(fileURLWithPath: prefix + "/conda-meta/textpkg-1.0-0.json"))) as? [String: Any])
        #expect(textRecord["requested_spec"] as? String == "textpkg")
        #expect((textRecord["url"] as? String)?.hasPrefix(setup.channelURL + "/linux-64/textpkg-1.0-0.tar.bz2") == true)
        #expect(textRecord["md5"] as? String == setup.channel.files["textpkg-1.0-0.tar.bz2"]?.md5)

        // History: the old entry kept, a new one appended.
        let history = try #require(Self.text(prefix + "/conda-meta/history"))
        #expect(history.hasPrefix("==> 2023-01-01 00:00:00 <==\n"))
        #expect(history.contains("==> 1970-01-01 00:00:00 <==\n# cmd: smimg build recipe.yml\n"), "\(history)")
        #expect(history.contains("-conda-forge/linux-64::oldpkg-1.0-0\n"))
        #expect(history.contains("-conda-forge/linux-64::demo-1.0-0\n"))
        #expect(history.contains("::textpkg-1.0-0\n"))
        #expect(history.contains("# update specs: ['textpkg', 'noarchpkg>=0.5', 'demo=2.0']\n"))
        #expect(history.contains("# remove specs: ['oldpkg']\n"))

        // The lock lists what was solved, also as an explicit list.
        let lockData = try Data(contentsOf: URL(fileURLWithPath: fixture.path + "/recipe.lock"))
        let lock = try #require(try JSONSerialization.jsonObject(with: lockData) as? [String: Any])
        let entry = try #require((lock["steps"] as? [[String: Any]])?.first)
        #expect(entry["kind"] as? String == "conda")
        let explicit = entry["explicit"] as? [String] ?? []
        #expect(explicit.contains("@EXPLICIT"))
        #expect(explicit.contains { $0.hasSuffix("textpkg-1.0-0.tar.bz2#" + (setup.channel.files["textpkg-1.0-0.tar.bz2"]?.md5 ?? "-")) })
        #expect((entry["packages"] as? [[String: Any]])?.count == 4)

        // A rebuild from the lock downloads nothing: the channel can be gone. Same image.
        let firstDigest = try await Command.check(["skopeo", "inspect", "--format", "{{.Digest}}", "oci:\(layout):t"]).stdout
        setup.server.stop()
        let rebuilt = try await fixture.build(["--output", "oci:\(layout):again", "--no-cache", "--json"])
        #expect(rebuilt.status == 0, "\(rebuilt.output)")
        let secondDigest = try await Command.check(["skopeo", "inspect", "--format", "{{.Digest}}", "oci:\(layout):again"]).stdout
        #expect(firstDigest == secondDigest)
    }

    @Test func anExplicitListInstallsExactlyItsPackagesAndABadHashStopsTheBuild() async throws {
        let setup = try await Self.setUp()
        defer { setup.remove() }
        let fixture = setup.fixture
        let libbin = try #require(setup.channel.files["libbin-1.2-h0_0.conda"])
        let textpkg = try #require(setup.channel.files["textpkg-0.9-0.tar.bz2"])
        try fixture.write("explicit.txt", """
            # platform: linux-64
            @EXPLICIT
            \(setup.channelURL)/linux-64/libbin-1.2-h0_0.conda#\(libbin.md5)
            \(setup.channelURL)/linux-64/textpkg-0.9-0.tar.bz2#\(textpkg.md5)

            """)
        try fixture.writeRecipe("image: test/conda:1\nbase: oci:base:base\nsteps:\n  - conda: {explicit: explicit.txt}\n")
        let layout = fixture.path + "/image"
        let built = try await fixture.build(["--output", "oci:\(layout):t"])
        #expect(built.status == 0, "\(built.output)")
        let rootfs = try await Self.unpack(layout, tag: "t", into: fixture.path + "/bundle")
        let meta = try FileManager.default.contentsOfDirectory(atPath: rootfs + "/opt/conda/conda-meta").sorted()
        #expect(meta == ["demo-1.0-0.json", "history", "libbin-1.2-h0_0.json", "oldpkg-1.0-0.json", "oldplugin-1.0-0.json",
                         "python-\(setup.python.version).0-h0_0.json", "textpkg-0.9-0.json"])
        #expect(Self.text(rootfs + "/opt/conda/bin/textpkg-run") == "old\n")

        // One wrong digit in a hash: fatal, and no image is written.
        let wrong = String(textpkg.md5.dropLast()) + (textpkg.md5.hasSuffix("0") ? "1" : "0")
        try fixture.write("explicit.txt", "@EXPLICIT\n\(setup.channelURL)/linux-64/textpkg-0.9-0.tar.bz2#\(wrong)\n")
        let bad = try await fixture.build(["--output", "oci:\(fixture.path)/bad:t"], cache: fixture.path + "/fresh-cache")
        #expect(bad.status != 0)
        #expect(bad.stderr.contains("md5"), "\(bad.stderr)")
        #expect(bad.stderr.contains(wrong), "\(bad.stderr)")
        #expect(!FileManager.default.fileExists(atPath: fixture.path + "/bad"))
    }

    @Test func aLocalPackageFileInstallsWithoutAChannelAndReplacesTheInstalledBuild() async throws {
        let setup = try await Self.setUp()
        defer { setup.remove() }
        let fixture = setup.fixture
        setup.server.stop()
        try fixture.writeRecipe("image: test/conda:1\nbase: oci:base:base\nsteps:\n  - conda: {install: [served/channel/linux-64/demo-2.0-0.tar.bz2]}\n")
        let layout = fixture.path + "/image"
        let built = try await fixture.build(["--output", "oci:\(layout):t"])
        #expect(built.status == 0, "\(built.output)")
        let rootfs = try await Self.unpack(layout, tag: "t", into: fixture.path + "/bundle")
        #expect(Self.text(rootfs + "/opt/conda/share/demo/common.txt") == "version 2\n")
        #expect(!FileManager.default.fileExists(atPath: rootfs + "/opt/conda/share/demo/v1.txt"))
        #expect(!FileManager.default.fileExists(atPath: rootfs + "/opt/conda/conda-meta/demo-1.0-0.json"))
        let record = try #require(try JSONSerialization.jsonObject(
            with: Data(contentsOf: URL(fileURLWithPath: rootfs + "/opt/conda/conda-meta/demo-2.0-0.json"))) as? [String: Any])
        #expect(record["sha256"] as? String == setup.channel.files["demo-2.0-0.tar.bz2"]?.sha256)
        #expect((record["url"] as? String)?.hasPrefix("file://") == true)
        #expect(!FileManager.default.fileExists(atPath: fixture.path + "/recipe.lock"), "nothing was resolved, so nothing is locked")
    }

    @Test func unresolvableSpecsAndLinkScriptsGiveClearErrors() async throws {
        let setup = try await Self.setUp()
        defer { setup.remove() }
        let fixture = setup.fixture
        try fixture.writeRecipe("""
            image: test/conda:1
            base: oci:base:base
            steps:
              - conda:
                  channels: [\(setup.channelURL)]
                  install: ["libbin>=9"]
            """)
        let missing = try await fixture.build(["--output", "oci:\(fixture.path)/image:t"])
        #expect(missing.status != 0)
        #expect(missing.stderr.contains("recipe.yml:4:5: steps[0].conda: "), "\(missing.stderr)")
        #expect(missing.stderr.contains("libbin>=9"), "\(missing.stderr)")
        #expect(missing.stderr.contains("1.2"), "the versions seen: \(missing.stderr)")

        try fixture.writeRecipe("""
            image: test/conda:1
            base: oci:base:base
            steps:
              - conda:
                  channels: [\(setup.channelURL)]
                  install: [scripted]
            """)
        let scripted = try await fixture.build(["--output", "oci:\(fixture.path)/image:t"])
        #expect(scripted.status != 0)
        #expect(scripted.stderr.contains("post-link"), "\(scripted.stderr)")
        #expect(!FileManager.default.fileExists(atPath: fixture.path + "/image"))

        try fixture.writeRecipe("""
            image: test/conda:1
            base: oci:base:base
            steps:
              - conda: {remove: [notthere]}
            """)
        let notInstalled = try await fixture.build(["--output", "oci:\(fixture.path)/image:t"])
        #expect(notInstalled.status != 0)
        #expect(notInstalled.stderr.contains("notthere is not installed in /opt/conda"), "\(notInstalled.stderr)")
        #expect(notInstalled.stderr.contains("oldpkg"), "names what is installed: \(notInstalled.stderr)")
    }
}

extension Array where Element == UInt8 {
    /// Hex text (as UTF-8 bytes) → bytes.
    fileprivate func chunked() -> [UInt8] {
        stride(from: 0, to: count - 1, by: 2).map { UInt8(String(decoding: self[$0..<$0 + 2], as: UTF8.self), radix: 16) ?? 0 }
    }
}
