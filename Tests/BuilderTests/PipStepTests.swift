import Foundation
import Testing
import TestSupport

/// `pip:` steps with real wheels built at test time, served from a loopback index (PEP 503 HTML
/// with PEP 658 metadata, PEP 691 JSON, a find-links page), on a base with CPython's files and
/// a pip-installed package; the result unpacked with umoci and checked with the host's Python
/// and pip pointed into the rootfs.
@Suite(.enabled(if: Harness.isUp)) struct PipStepTests {
    struct Setup {
        let fixture: BuildFixture
        let server: FileServer
        let python: String
        let version: String
        let hashes: [String: String]

        var tag: String { "cp" + version.replacingOccurrences(of: ".", with: "") }
        var base: String { server.baseURL }

        func remove() {
            server.stop()
            fixture.remove()
        }
    }

    static func wheelSpecs(tag cp: String) -> [[String: Any]] {
        func zdep(_ version: String, _ tag: String, which: String) -> [String: Any] {
            ["name": "zdep", "version": version, "tag": tag, "purelib": false,
             "files": ["zdep/__init__.py": "which = '\(which)'\n", "zdep/_native.so": "\u{7F}ELF fake extension\n"],
             "big": ["zdep/blob.bin": 300_000]]
        }
        return [
            ["name": "oldpkg", "version": "1.0", "files": ["oldpkg/__init__.py": "def main():\n    print('old')\n", "oldpkg/util.py": "X = 1\n"],
             "entry_points": ["console_scripts": ["oldpkg-cli": "oldpkg:main"]]],
            ["name": "ypkg", "version": "1.0", "files": ["ypkg/__init__.py": "VALUE = 1\n"]],
            ["name": "ypkg", "version": "2.0",
             "files": ["ypkg/__init__.py": "VALUE = 2\ndef main():\n    print('ycli says hi')\n", "ypkg/sub/mod.py": "Y = 3\n"],
             "data": ["scripts/yscript": "#!python\nprint('yscript ran')\n", "data/share/ypkg/ypkg.txt": "shared data\n"],
             "entry_points": ["console_scripts": ["ycli": "ypkg:main"]],
             "requires_dist": ["zdep>=1.0", "ancient>=1; python_version < \"3.8\""]],
            zdep("1.1", "\(cp)-\(cp)-manylinux_2_17_x86_64", which: "cp-manylinux"),
            zdep("1.1", "\(cp)-abi3-manylinux_2_17_x86_64", which: "abi3"),
            zdep("1.1", "py3-none-any", which: "pure"),
            zdep("1.1", "\(cp)-\(cp)-macosx_11_0_arm64", which: "mac"),
            zdep("1.2", "\(cp)-\(cp)-macosx_11_0_arm64", which: "mac"),
            ["name": "wpkg", "version": "0.1", "files": ["wpkg.py": "W = 'w'\n"]],
            ["name": "cpkg", "version": "1.0", "files": ["cpkg.py": ""], "requires_dist": ["zdep<1.0"]],
        ]
    }

    /// Writes the wheels, the indexes and the base image (an `oci:` layout made by smimg).
    static func setUp() async throws -> Setup {
        let fixture = try BuildFixture("smimg-pip")
        let python = Harness.value("SMIMG_TEST_PYTHON") ?? "python3"
        let version = try await Command.check([python, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"]).stdout
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let cp = "cp" + version.replacingOccurrences(of: ".", with: "")
        let wheels = fixture.path + "/served/files"
        let spec = fixture.path + "/wheels.json"
        try JSONSerialization.data(withJSONObject: wheelSpecs(tag: cp)).write(to: URL(fileURLWithPath: spec))
        let made = try await Command.check([python, Harness.packageRoot.appendingPathComponent("scripts/make-wheel.py").path, spec, wheels]).stdout
        let hashes = try #require(try JSONSerialization.jsonObject(with: Data(made.utf8)) as? [String: String])

        // PEP 503 HTML for ypkg (2.0 with PEP 658 metadata), PEP 691 JSON for zdep and cpkg,
        // a find-links page for wpkg.
        func files(_ project: String) -> [String] { hashes.keys.filter { $0.hasPrefix(project + "-") }.sorted() }
        var html = "<!DOCTYPE html><html><body>\n"
        for file in files("ypkg") {
            var metadata = ""
            if file.contains("-2.0-") {
                let body = try await Command.check([python, "-c", "import sys, zipfile; sys.stdout.write(zipfile.ZipFile(sys.argv[1]).read('ypkg-2.0.dist-info/METADATA').decode())", wheels + "/" + file]).stdout
                try Data(body.utf8).write(to: URL(fileURLWithPath: wheels + "/" + file + ".metadata"))
                let digest = try await Command.check(["sha256sum", wheels + "/" + file + ".metadata"]).stdout.prefix(64)
                metadata = " data-core-metadata=\"sha256=\(digest)\""
            }
            html += "<a href=\"../../files/\(file)#sha256=\(hashes[file]!)\" data-requires-python=\"&gt;=3.7\"\(metadata)>\(file)</a>\n"
        }
        html += "<a href=\"../../files/ypkg-0.5.tar.gz\">ypkg-0.5.tar.gz</a>\n</body></html>\n"
        try fixture.write("served/simple/ypkg/index.html", html)
        for project in ["zdep", "cpkg"] {
            let entries: [[String: Any]] = files(project).map { ["filename": $0, "url": "../../files/\($0)", "hashes": ["sha256": hashes[$0]!]] }
            let page: [String: Any] = ["meta": ["api-version": "1.0"], "name": project, "files": entries]
            try fixture.write("served/json/\(project)/index.json", String(decoding: try JSONSerialization.data(withJSONObject: page), as: UTF8.self))
        }
        try fixture.write("served/links.html", files("wpkg").map { "<a href='files/\($0)'>\($0)</a>" }.joined(separator: "\n"))

        // The base: CPython's interpreter and a stdlib file, glibc, and oldpkg installed by pip.
        let root = fixture.path + "/rootfs"
        let interpreter = try await Command.check([python, "-c", "import os, sys; print(os.path.realpath(sys.executable))"]).stdout
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let stdlib = try await Command.check([python, "-c", "import sysconfig; print(sysconfig.get_paths()['stdlib'])"]).stdout
            .trimmingCharacters(in: .whitespacesAndNewlines)
        try FileManager.default.createDirectory(atPath: root + "/usr/local/bin", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: root + "/usr/local/lib/python\(version)", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: root + "/lib/x86_64-linux-gnu", withIntermediateDirectories: true)
        try await Command.check(["cp", interpreter, root + "/usr/local/bin/python\(version)"])
        try FileManager.default.createSymbolicLink(atPath: root + "/usr/local/bin/python3", withDestinationPath: "python\(version)")
        try await Command.check(["cp", stdlib + "/os.py", root + "/usr/local/lib/python\(version)/os.py"])
        try await Command.check(["cp", "-L", "/lib/x86_64-linux-gnu/libc.so.6", root + "/lib/x86_64-linux-gnu/libc.so.6"])
        try await Command.check(
            [python, "-m", "pip", "install", "--no-index", "--no-deps", "--no-compile", "--prefix", root + "/usr/local", "--no-warn-script-location",
             "--break-system-packages", wheels + "/" + files("oldpkg")[0]],
            environment: ["PIP_FIND_LINKS": "", "PIP_NO_INDEX": "1"])
        try fixture.write("base.yml", "image: test/pip-base:1\nbase: scratch\nsteps:\n  - copy: {src: rootfs/, dest: /}\n")
        let base = try await fixture.build(["--output", "oci:\(fixture.path)/base:base"], recipe: fixture.path + "/base.yml")
        #expect(base.status == 0, "\(base.output)")
        let server = try FileServer(root: fixture.path + "/served")
        return Setup(fixture: fixture, server: server, python: python, version: version, hashes: hashes)
    }

    func recipe(_ setup: Setup, install: String, uninstall: String = "[oldpkg]") -> String {
        """
        image: test/pip:1
        base: oci:base:base
        steps:
          - pip:
              uninstall: \(uninstall)
              index_url: \(setup.base)/simple
              extra_index_urls: [\(setup.base)/json]
              find_links: [\(setup.base)/links.html]
              install: \(install)
        """
    }

    @Test func uninstallAndInstallLeaveAnEnvironmentPipAndPythonAgreeWith() async throws {
        let setup = try await Self.setUp()
        defer { setup.remove() }
        let fixture = setup.fixture
        try fixture.writeRecipe(recipe(setup, install: "[\"ypkg>=1\", wpkg]"))
        let layout = fixture.path + "/image"
        let built = try await fixture.build(["--output", "oci:\(layout):t", "--json"])
        #expect(built.status == 0, "\(built.output)")
        let bundle = fixture.path + "/bundle"
        try await Command.check(["umoci", "unpack", "--image", "\(layout):t", bundle])
        let rootfs = bundle + "/rootfs"
        let site = rootfs + "/usr/local/lib/python\(setup.version)/site-packages"
        let bin = rootfs + "/usr/local/bin"
        let exists = { (path: String) in FileManager.default.fileExists(atPath: path) }

        // The uninstalled package is gone, files, metadata and script.
        #expect(!exists(site + "/oldpkg"))
        #expect(!exists(site + "/oldpkg-1.0.dist-info"))
        #expect(!exists(bin + "/oldpkg-cli"))
        #expect(exists(bin + "/python3"))

        // Imports work, with the wheel chosen by tag (cp-cp-manylinux over abi3, pure and mac;
        // zdep 1.2 has only a mac wheel) and the large file streamed intact.
        let environment = ["PYTHONPATH": site, "PYTHONNOUSERSITE": "1"]
        let imported = try await Command.check(
            [setup.python, "-c", "import ypkg, zdep, wpkg; print(ypkg.VALUE, zdep.which, wpkg.W)"], environment: environment)
        #expect(imported.stdout == "2 cp-manylinux w\n")
        let blob = try #require(FileManager.default.contents(atPath: site + "/zdep/blob.bin"))
        #expect(blob.count == 300_000)

        // Scripts: the launcher and the #!python script point at the image's interpreter.
        let launcher = try #require(String(data: try Data(contentsOf: URL(fileURLWithPath: bin + "/ycli")), encoding: .utf8))
        #expect(launcher.hasPrefix("#!/usr/local/bin/python3\n"), "\(launcher)")
        #expect(launcher.contains("from ypkg import main"))
        let ran = try await Command.check([setup.python, bin + "/ycli"], environment: environment)
        #expect(ran.stdout == "ycli says hi\n")
        let script = try String(contentsOfFile: bin + "/yscript", encoding: .utf8)
        #expect(script == "#!/usr/local/bin/python3\nprint('yscript ran')\n")
        #expect(try FileManager.default.attributesOfItem(atPath: bin + "/yscript")[.posixPermissions] as? Int == 0o755)
        #expect(exists(rootfs + "/usr/local/share/ypkg/ypkg.txt"))

        // importlib.metadata and pip agree; every requirement is met (pip check's rule).
        let check = """
            import importlib.metadata as md, json, subprocess, sys
            from pip._vendor.packaging.requirements import Requirement
            site = sys.argv[1]
            dists = {d.metadata["Name"].lower(): d for d in md.distributions(path=[site])}
            mine = sorted((n, d.version) for n, d in dists.items())
            listed = json.loads(subprocess.check_output([sys.executable, "-m", "pip", "list", "--path", site, "--format", "json"]))
            theirs = sorted((p["name"].lower(), p["version"]) for p in listed)
            assert mine == theirs, (mine, theirs)
            for name, dist in dists.items():
                for text in dist.requires or []:
                    r = Requirement(text)
                    if r.marker and not r.marker.evaluate({"extra": ""}):
                        continue
                    assert r.name.lower() in dists and dists[r.name.lower()].version in r.specifier, (name, text)
            print(" ".join("%s=%s" % item for item in mine))
            print(open(dists["ypkg"]._path / "INSTALLER").read().strip(), (dists["ypkg"]._path / "REQUESTED").exists(), (dists["zdep"]._path / "REQUESTED").exists())
            """
        let agreed = try await Command.check([setup.python, "-c", check, site], environment: ["PYTHONNOUSERSITE": "1"])
        #expect(agreed.stdout == "wpkg=0.1 ypkg=2.0 zdep=1.1\npip True False\n")

        // The lock lists the three wheels with their hashes.
        let lock = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: fixture.path + "/recipe.lock"))) as? [String: Any])
        let wheels = ((lock["steps"] as? [[String: Any]])?.first?["wheels"] as? [[String: Any]]) ?? []
        #expect(Set(wheels.compactMap { $0["filename"] as? String }) == ["ypkg-2.0-py3-none-any.whl", "wpkg-0.1-py3-none-any.whl", "zdep-1.1-\(setup.tag)-\(setup.tag)-manylinux_2_17_x86_64.whl"])
        #expect(wheels.allSatisfy { ($0["sha256"] as? String).map { setup.hashes.values.contains($0) } == true })

        // pip uninstall inside the rootfs removes every file smimg installed: RECORD is right.
        try await Command.check([setup.python, "-m", "pip", "uninstall", "-y", "--break-system-packages", "ypkg"], environment: environment)
        for gone in [site + "/ypkg", site + "/ypkg-2.0.dist-info", bin + "/ycli", bin + "/yscript", rootfs + "/usr/local/share/ypkg/ypkg.txt"] {
            #expect(!exists(gone), "\(gone) survived pip uninstall")
        }

        // A rebuild from the lock with the index gone: the same image.
        let first = try await Command.check(["skopeo", "inspect", "--format", "{{.Digest}}", "oci:\(layout):t"]).stdout
        setup.server.stop()
        let again = try await fixture.build(["--output", "oci:\(layout):again", "--no-cache"])
        #expect(again.status == 0, "\(again.output)")
        #expect(try await Command.check(["skopeo", "inspect", "--format", "{{.Digest}}", "oci:\(layout):again"]).stdout == first)
    }

    @Test func unsatisfiableRequirementsAndMissingPackagesGiveReadableErrors() async throws {
        let setup = try await Self.setUp()
        defer { setup.remove() }
        let fixture = setup.fixture
        try fixture.writeRecipe(recipe(setup, install: "[\"zdep>=1.2\"]"))
        let platform = try await fixture.build(["--output", "oci:\(fixture.path)/image:t"])
        #expect(platform.status != 0)
        #expect(platform.stderr.contains("no wheel satisfies zdep>=1.2"), "\(platform.stderr)")
        #expect(platform.stderr.contains("macosx_11_0_arm64"), "names the wheels that did not fit: \(platform.stderr)")
        #expect(platform.stderr.contains("\(setup.tag)-\(setup.tag)-manylinux_2_36_x86_64"), "names the tags tried: \(platform.stderr)")

        try fixture.writeRecipe(recipe(setup, install: "[ypkg, cpkg]"))
        let conflict = try await fixture.build(["--output", "oci:\(fixture.path)/image:t"])
        #expect(conflict.status != 0)
        #expect(conflict.stderr.contains("zdep"), "\(conflict.stderr)")
        #expect(conflict.stderr.contains("<1.0") || conflict.stderr.contains(">=1.0"), "\(conflict.stderr)")

        try fixture.writeRecipe(recipe(setup, install: "[wpkg]", uninstall: "[notinstalled]"))
        let missing = try await fixture.build(["--output", "oci:\(fixture.path)/image:t"])
        #expect(missing.status != 0)
        #expect(missing.stderr.contains("notinstalled is not installed"), "\(missing.stderr)")
        #expect(!FileManager.default.fileExists(atPath: fixture.path + "/image"))
    }

    @Test func aLocalWheelInstallsWithItsDependenciesAndADirectURLRecord() async throws {
        let setup = try await Self.setUp()
        defer { setup.remove() }
        let fixture = setup.fixture
        try fixture.writeRecipe(recipe(setup, install: "[served/files/ypkg-2.0-py3-none-any.whl]", uninstall: "[]"))
        let layout = fixture.path + "/image"
        let built = try await fixture.build(["--output", "oci:\(layout):t"])
        #expect(built.status == 0, "\(built.output)")
        try await Command.check(["umoci", "unpack", "--image", "\(layout):t", fixture.path + "/bundle"])
        let site = fixture.path + "/bundle/rootfs/usr/local/lib/python\(setup.version)/site-packages"
        let direct = try #require(try? String(contentsOfFile: site + "/ypkg-2.0.dist-info/direct_url.json", encoding: .utf8))
        #expect(direct.contains("\"url\": \"file://"), "\(direct)")
        #expect(direct.contains(setup.hashes["ypkg-2.0-py3-none-any.whl"] ?? "-"))
        #expect(FileManager.default.fileExists(atPath: site + "/zdep/__init__.py"), "the dependency came from the index")
        #expect(!FileManager.default.fileExists(atPath: site + "/zdep-1.1.dist-info/direct_url.json"))
        #expect(FileManager.default.fileExists(atPath: site + "/oldpkg/__init__.py"), "nothing was uninstalled")
    }

    /// Opt-in (SMIMG_ONLINE_TESTS=1): a real package and its dependencies from PyPI.
    @Test(.enabled(if: Harness.value("SMIMG_ONLINE_TESTS") == "1"))
    func aRealPackageWithDependenciesInstallsFromPyPI() async throws {
        let setup = try await Self.setUp()
        defer { setup.remove() }
        let fixture = setup.fixture
        try fixture.writeRecipe("image: test/pip:1\nbase: oci:base:base\nsteps:\n  - pip: {install: [\"requests==2.32.3\"]}\n")
        let layout = fixture.path + "/image"
        let built = try await fixture.build(["--output", "oci:\(layout):t"])
        #expect(built.status == 0, "\(built.output)")
        try await Command.check(["umoci", "unpack", "--image", "\(layout):t", fixture.path + "/bundle"])
        let site = fixture.path + "/bundle/rootfs/usr/local/lib/python\(setup.version)/site-packages"
        let imported = try await Command.check(
            [setup.python, "-S", "-c", "import sys; sys.path.insert(0, sys.argv[1]); import requests, idna, urllib3, certifi, charset_normalizer; print(requests.__version__)", site])
        #expect(imported.stdout == "2.32.3\n")
    }
}
