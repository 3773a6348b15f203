import Archive
import Foundation
import Pip
import Testing
import TestSupport

/// Installing real wheels (written with Python's zipfile) into a layer.
@Suite struct WheelInstallerTests {
    static let scheme = InstallScheme(
        purelib: "/usr/local/lib/python3.11/site-packages", platlib: "/usr/local/lib/python3.11/site-packages",
        scripts: "/usr/local/bin", data: "/usr/local", headers: "/usr/local/include/python3.11", interpreter: "/usr/local/bin/python3")

    /// A wheel whose members are `files` (name → text) with a RECORD from `record` (name → text
    /// hashed), so a test can make the two disagree.
    static func wheel(in directory: TemporaryDirectory, name: String, files: [String: String], record: [String: String]? = nil) async throws -> String {
        let path = directory.path + "/" + name
        let script = """
            import base64, hashlib, json, sys, zipfile
            files, record = json.loads(sys.argv[2]), json.loads(sys.argv[3])
            def h(t): return "sha256=" + base64.urlsafe_b64encode(hashlib.sha256(t.encode()).digest()).rstrip(b"=").decode()
            rows = ["%s,%s,%d" % (n, h(t), len(t.encode())) for n, t in sorted(record.items())]
            with zipfile.ZipFile(sys.argv[1], "w") as z:
                for n, t in sorted(files.items()):
                    z.writestr(n, t)
                z.writestr("demo-1.0.dist-info/RECORD", "\\n".join(rows + ["demo-1.0.dist-info/RECORD,,"]) + "\\n")
            """
        var all = files
        all["demo-1.0.dist-info/METADATA"] = "Metadata-Version: 2.1\nName: demo\nVersion: 1.0\n"
        all["demo-1.0.dist-info/WHEEL"] = "Wheel-Version: 1.0\nRoot-Is-Purelib: true\n"
        let recorded = (record ?? files).merging(
            ["demo-1.0.dist-info/METADATA": all["demo-1.0.dist-info/METADATA"]!, "demo-1.0.dist-info/WHEEL": all["demo-1.0.dist-info/WHEEL"]!],
            uniquingKeysWith: { $1 })
        func json(_ value: [String: String]) throws -> String { String(decoding: try JSONSerialization.data(withJSONObject: value), as: UTF8.self) }
        try await Command.check([Harness.value("SMIMG_TEST_PYTHON") ?? "python3", "-c", script, path, try json(all), try json(recorded)])
        return path
    }

    static func resolved(_ filename: String) -> ResolvedWheel {
        ResolvedWheel(name: "demo", version: "1.0", filename: filename, url: "https://files.example/\(filename)", sha256: "ab", requested: true, direct: true)
    }

    @Test func theRecordListsEveryFileRelativeToTheSiteDirectory() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = try await Self.wheel(in: directory, name: "demo-1.0-py3-none-any.whl", files: [
            "demo/__init__.py": "X = 1\n", "demo-1.0.data/scripts/run": "#!python -u\nprint(1)\n",
        ])
        var contents = LayerContents()
        let installed = try WheelInstaller(scheme: Self.scheme).install(
            WheelArchive(path: path, filename: "demo-1.0-py3-none-any.whl"), as: Self.resolved("demo-1.0-py3-none-any.whl"), into: &contents)
        #expect(installed.files.contains("/usr/local/bin/run"))
        #expect(contents.entry(at: "usr/local/bin/run")?.mode == 0o644, "pip keeps the zip's mode bits of a .data script")
        let writer = try LayerWriter(store: BlobStore(root: directory.path + "/store"), options: .init(compression: .none))
        try contents.write(to: writer)
        let layer = try writer.finish()
        let reader = try TarReader(path: layer.path, options: .init(formats: [.tar]))
        var files: [String: String] = [:]
        while let entry = try reader.next() {
            if entry.isRegular { files[entry.path] = String(decoding: try reader.readAll(), as: UTF8.self) }
        }
        #expect(files["usr/local/bin/run"] == "#!/usr/local/bin/python3\nprint(1)\n")
        let record = try #require(files["usr/local/lib/python3.11/site-packages/demo-1.0.dist-info/RECORD"])
        #expect(record.hasSuffix(",,\r\n"), "rows end in CRLF, as Python's csv writes them")
        let paths = record.split(separator: "\r\n").map { String($0.split(separator: ",").first ?? "") }
        #expect(paths == [
            "../../../bin/run", "demo-1.0.dist-info/INSTALLER", "demo-1.0.dist-info/METADATA", "demo-1.0.dist-info/REQUESTED",
            "demo-1.0.dist-info/WHEEL", "demo-1.0.dist-info/direct_url.json", "demo/__init__.py", "demo-1.0.dist-info/RECORD",
        ])
        #expect(record.hasSuffix("demo-1.0.dist-info/RECORD,,\r\n"))
        #expect(files["usr/local/lib/python3.11/site-packages/demo-1.0.dist-info/direct_url.json"]?.contains("\"url\": \"https://files.example/demo-1.0-py3-none-any.whl\"") == true)
    }

    @Test func aFileThatDisagreesWithTheRecordIsRefused() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = try await Self.wheel(
            in: directory, name: "demo-1.0-py3-none-any.whl", files: ["demo/__init__.py": "X = 2\n"], record: ["demo/__init__.py": "X = 1\n"])
        var contents = LayerContents()
        #expect(throws: PipError.hashMismatch(wheel: "demo-1.0-py3-none-any.whl", path: "demo/__init__.py")) {
            try WheelInstaller(scheme: Self.scheme).install(
                WheelArchive(path: path, filename: "demo-1.0-py3-none-any.whl"), as: Self.resolved("demo-1.0-py3-none-any.whl"), into: &contents)
        }
    }

    @Test func membersThatClimbOutOfTheEnvironmentAreRefused() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = try await Self.wheel(in: directory, name: "demo-1.0-py3-none-any.whl", files: ["demo/../../../../etc/passwd": "root\n"])
        var contents = LayerContents()
        #expect(throws: (any Error).self) {
            try WheelInstaller(scheme: Self.scheme).install(
                WheelArchive(path: path, filename: "demo-1.0-py3-none-any.whl"), as: Self.resolved("demo-1.0-py3-none-any.whl"), into: &contents)
        }
        #expect(contents.count == 0, "nothing of the wheel was added")
    }
}
