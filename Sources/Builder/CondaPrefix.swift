import Conda
import Foundation

/// A conda prefix in the image as built so far: where it is, what `conda-meta/` says is
/// installed, and the Python it carries (for `noarch: python` packages).
struct CondaPrefix: Sendable {
    /// One `conda-meta/<name>-<version>-<build>.json`.
    struct InstalledPackage: Sendable {
        var record: CondaPackageRecord
        /// Paths relative to the prefix, as the record's `files` lists them.
        var files: [String]
        /// The record file's image path.
        var metadataPath: String
    }

    /// Image path without a trailing slash: `/opt/conda`.
    var path: String
    var installed: [InstalledPackage]

    /// Where conda is usually found in images, before any directory holding `conda-meta/`.
    static let usualLocations = ["/opt/conda", "/usr/local/conda", "/opt/miniconda3", "/opt/miniforge3", "/root/miniconda3"]
    static let searchPatterns = ["/opt/*/conda-meta", "/*/conda-meta", "/usr/local/*/conda-meta", "/root/*/conda-meta", "/home/*/*/conda-meta"]

    /// The prefix `explicit` names, else the first usual location with `conda-meta/`, else any
    /// directory with one. Nil when the image has none.
    static func locate(in filesystem: ImageFilesystem, explicit: String?) -> String? {
        func isPrefix(_ path: String) -> Bool {
            let resolved = filesystem.resolve(path) ?? path
            return filesystem.entry(resolved + "/conda-meta")?.isDirectory == true
        }
        if let explicit {
            let trimmed = explicit.count > 1 && explicit.hasSuffix("/") ? String(explicit.dropLast()) : explicit
            return filesystem.resolve(trimmed) ?? trimmed
        }
        if let found = usualLocations.first(where: isPrefix) { return filesystem.resolve(found) ?? found }
        for pattern in searchPatterns {
            if let match = filesystem.glob(pattern).first(where: { filesystem.entry($0)?.isDirectory == true }) {
                return String(match.dropLast("/conda-meta".count))
            }
        }
        return nil
    }

    /// Reads every `conda-meta/*.json` of the prefix. A record that is not valid JSON is an
    /// error naming it (conda would fail on it too).
    static func read(_ path: String, from filesystem: ImageFilesystem) throws -> CondaPrefix {
        let records = filesystem.glob(path + "/conda-meta/*.json")
        let contents = try filesystem.readFiles(records)
        var installed: [InstalledPackage] = []
        for file in records {
            guard let bytes = contents[file] else { continue }
            installed.append(try decode(bytes, file: file))
        }
        return CondaPrefix(path: path, installed: installed.sorted { $0.record.name < $1.record.name })
    }

    static func decode(_ bytes: [UInt8], file: String) throws -> InstalledPackage {
        struct Files: Decodable { var files: [String]? }
        do {
            let record = try JSONDecoder().decode(CondaPackageRecord.self, from: Data(bytes))
            let files = try JSONDecoder().decode(Files.self, from: Data(bytes)).files ?? []
            return InstalledPackage(record: record, files: files, metadataPath: file)
        } catch {
            throw BuildError.unusableBase(base: file, reason: "the conda-meta record cannot be read (\(error))")
        }
    }

    /// The installed package called `name` (case-insensitive, as conda compares names).
    func package(named name: String) -> InstalledPackage? {
        installed.first { $0.record.name.lowercased() == name.lowercased() }
    }

    /// `X.Y` of the prefix's Python: the installed `python` record, else `lib/pythonX.Y`.
    func pythonVersion(in filesystem: ImageFilesystem) -> String? {
        if let python = package(named: "python") {
            let parts = python.record.version.split(separator: ".")
            if parts.count >= 2 { return "\(parts[0]).\(parts[1])" }
        }
        let candidates = filesystem.glob(path + "/lib/python3.*").compactMap { match -> String? in
            let name = (match as NSString).lastPathComponent
            let version = name.dropFirst("python".count)
            return version.split(separator: ".").count == 2 && version.allSatisfy({ $0.isNumber || $0 == "." }) ? String(version) : nil
        }
        return candidates.sorted { $0.split(separator: ".").map { Int($0) ?? 0 }.lexicographicallyPrecedes($1.split(separator: ".").map { Int($0) ?? 0 }) }.last
    }

    /// Installed packages that depend, directly or not, on any of `names` (conda removes them
    /// together: `conda remove pytorch` also removes torchvision).
    func dependents(of names: Set<String>) -> [InstalledPackage] {
        var removed = Set(names.map { $0.lowercased() })
        var result: [InstalledPackage] = []
        var changed = true
        while changed {
            changed = false
            for package in installed where !removed.contains(package.record.name.lowercased()) {
                let needs = package.record.depends.compactMap { $0.split(separator: " ").first.map { $0.lowercased() } }
                if needs.contains(where: removed.contains) {
                    removed.insert(package.record.name.lowercased())
                    result.append(package)
                    changed = true
                }
            }
        }
        return result
    }
}
