import Foundation

/// A conda channel made at test time by `scripts/conda-channel.py`: real `.conda` and `.tar.bz2`
/// packages with `info/paths.json`, `linux-64/` and `noarch/` repodata and `channeldata.json`.
public struct CondaChannelFixture {
    /// A package file the script wrote.
    public struct PackageFile {
        public var path: String
        public var md5: String
        public var sha256: String
        public var size: Int64
    }

    public static let placeholder = "/opt/anaconda1anaconda2anaconda3"

    public let directory: String
    /// File name → file.
    public let files: [String: PackageFile]

    /// `packages` as the script's SPEC describes them (name, version, build, files, …).
    public init(directory: String, packages: [[String: Any]]) async throws {
        self.directory = directory
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let spec = directory + ".spec.json"
        let data = try JSONSerialization.data(withJSONObject: ["channel": directory, "packages": packages])
        try data.write(to: URL(fileURLWithPath: spec))
        let python = Harness.value("SMIMG_TEST_PYTHON") ?? "python3"
        let script = Harness.packageRoot.appendingPathComponent("scripts/conda-channel.py").path
        let output = try await Command.check([python, script, spec]).stdout
        let object = try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: [String: Any]] ?? [:]
        files = object.mapValues { item in
            PackageFile(
                path: item["path"] as? String ?? "", md5: item["md5"] as? String ?? "", sha256: item["sha256"] as? String ?? "",
                size: (item["size"] as? NSNumber)?.int64Value ?? 0)
        }
    }
}
