import Archive
import Foundation
import OCI

/// conda's "link" step done without conda: puts one package's files into a layer as they would
/// land in the prefix, with the build-time placeholder replaced by the real prefix, and writes
/// the `conda-meta/<name>-<version>-<build>.json` record that `conda list` and `conda remove`
/// read. Nothing runs inside the image.
///
/// - Regular files are read from the package once: files with a prefix placeholder, and small
///   files, are held in memory (the former are rewritten: text mode replaces every occurrence,
///   binary mode pads with NULs to the original length); other files are spilled to
///   `spillDirectory` and added from there, so memory stays bounded by `memoryLimit`.
/// - `noarch: python` packages go to the target interpreter's `site-packages` (`site-packages/…`
///   → `lib/pythonX.Y/site-packages/…`, `python-scripts/…` → `bin/…`), with console scripts
///   generated from `info/link.json`'s entry points. `.pyc` files are left to Python.
/// - Packages with pre-link, post-link or pre-unlink scripts are refused: they would need to run.
public struct CondaLinker: Sendable {
    /// The prefix inside the image: `/opt/conda`.
    public let prefix: String
    /// `X.Y` of the prefix's Python, for `noarch: python` packages.
    public let pythonVersion: String?
    /// Files up to this size without a placeholder are kept in memory instead of spilled.
    public let inMemoryFileLimit: Int
    /// Files with a placeholder larger than this are refused (they must be rewritten in memory).
    public let placeholderFileLimit: Int

    public init(prefix: String, pythonVersion: String?, inMemoryFileLimit: Int = 256 << 10, placeholderFileLimit: Int = 1 << 30) {
        self.prefix = prefix.hasSuffix("/") ? String(prefix.dropLast()) : prefix
        self.pythonVersion = pythonVersion
        self.inMemoryFileLimit = inMemoryFileLimit
        self.placeholderFileLimit = placeholderFileLimit
    }

    /// What one package contributed to the layer.
    public struct LinkedPackage: Sendable {
        public var record: CondaPackageRecord
        /// Paths below the prefix, as `conda-meta` lists them under `files`.
        public var files: [String]
        /// The `conda-meta/…json` path in the layer.
        public var metadataPath: String
    }

    /// Adds `archive`'s files and its conda-meta record to `contents`. `record` is what the
    /// solver chose (channel, url, hashes); `requestedSpec` is the recipe's spec, if the package
    /// was asked for by name.
    public func link(
        _ archive: CondaPackageArchive, record: CondaPackageRecord, requestedSpec: String?, into contents: inout LayerContents,
        spillDirectory: String
    ) throws -> LinkedPackage {
        let info = try archive.info()
        let scripts = CondaPackageArchive.linkScripts(in: info.paths, name: info.index.name)
        guard scripts.isEmpty else { throw CondaLinkError.linkScripts(package: record.distName, scripts: scripts) }
        let isNoarchPython = (info.index.noarch ?? record.noarch) == "python"
        if isNoarchPython, pythonVersion == nil { throw CondaLinkError.noPython(package: record.distName) }
        let entries = Dictionary(info.paths.entries.map { ($0.path, $0) }, uniquingKeysWith: { first, _ in first })
        try FileManager.default.createDirectory(atPath: spillDirectory, withIntermediateDirectories: true)

        var installed: [(path: String, entry: PathEntry)] = []
        var spillCount = 0
        try archive.forEachPayloadEntry { entry, reader in
            let target = targetPath(entry.path, noarchPython: isNoarchPython)
            let layerPath = layerPath(target)
            var pathEntry = entries[entry.path] ?? PathEntry(path: entry.path)
            pathEntry.path = target
            switch entry.kind {
            case .regular(let size):
                var file = entry
                file.path = layerPath
                file.uid = 0
                file.gid = 0
                if let placeholder = pathEntry.prefixPlaceholder {
                    guard size <= placeholderFileLimit else {
                        throw CondaLinkError.placeholderFileTooLarge(package: record.distName, path: entry.path, size: size)
                    }
                    let original = try reader.readAll(limit: placeholderFileLimit)
                    let rewritten: [UInt8]
                    do {
                        rewritten = try PrefixReplacement.replacing(
                            original, mode: pathEntry.fileMode ?? .text, placeholder: placeholder, prefix: prefix)
                    } catch {
                        throw CondaLinkError.prefix(package: record.distName, path: entry.path, reason: String(describing: error))
                    }
                    file.kind = .regular(size: Int64(rewritten.count))
                    pathEntry.sha256 = DigestHasher.digest(of: rewritten).hex
                    pathEntry.sizeInBytes = Int64(rewritten.count)
                    try contents.add(file, source: .bytes(rewritten))
                } else if size >= 0, size <= inMemoryFileLimit {
                    let bytes = try reader.readAll(limit: inMemoryFileLimit)
                    pathEntry.sha256 = DigestHasher.digest(of: bytes).hex
                    pathEntry.sizeInBytes = Int64(bytes.count)
                    file.kind = .regular(size: Int64(bytes.count))
                    try contents.add(file, source: .bytes(bytes))
                } else {
                    spillCount += 1
                    let spill = "\(spillDirectory)/\(spillCount)"
                    let (digest, written) = try Self.spill(reader, to: spill)
                    pathEntry.sha256 = digest.hex
                    pathEntry.sizeInBytes = written
                    file.kind = .regular(size: written)
                    try contents.add(file, source: .file(hostPath: spill))
                }
                installed.append((target, pathEntry))
            case .symlink, .hardLink:
                var link = entry
                link.path = layerPath
                if case .hardLink(let linkTarget) = entry.kind {
                    link.kind = .hardLink(target: self.layerPath(targetPath(linkTarget, noarchPython: isNoarchPython)))
                }
                link.uid = 0
                link.gid = 0
                try reader.skipData()
                try contents.add(link)
                if case .symlink = entry.kind { pathEntry.pathType = .softlink }
                installed.append((target, pathEntry))
            case .directory:
                try reader.skipData()
                var directory = entry
                directory.path = layerPath
                directory.uid = 0
                directory.gid = 0
                try contents.add(directory)
            default:
                throw CondaLinkError.unsupportedEntry(package: record.distName, path: entry.path)
            }
        }
        if isNoarchPython {
            for script in try entryPointScripts(info.entryPoints, package: record.distName) {
                try contents.addFile(layerPath(script.path), contents: script.bytes, mode: 0o755)
                installed.append((script.path, PathEntry(
                    path: script.path, sha256: DigestHasher.digest(of: script.bytes).hex, sizeInBytes: Int64(script.bytes.count))))
            }
        }
        installed.sort { $0.path < $1.path }
        let metadataPath = "conda-meta/\(record.distName).json"
        let metadata = try Self.metadata(
            record: record, index: info.index, files: installed, requestedSpec: requestedSpec)
        try contents.addFile(layerPath(metadataPath), contents: metadata)
        return LinkedPackage(record: record, files: installed.map(\.path), metadataPath: layerPath(metadataPath))
    }

    // MARK: Paths

    /// Where a package path lands below the prefix.
    func targetPath(_ path: String, noarchPython: Bool) -> String {
        guard noarchPython, let pythonVersion else { return path }
        if path.hasPrefix("site-packages/") {
            return "lib/python\(pythonVersion)/" + path
        }
        if path.hasPrefix("python-scripts/") {
            return "bin/" + path.dropFirst("python-scripts/".count)
        }
        return path
    }

    /// A path below the prefix as a layer entry path (`opt/conda/…`).
    func layerPath(_ path: String) -> String {
        let root = prefix.hasPrefix("/") ? String(prefix.dropFirst()) : prefix
        return root.isEmpty ? path : "\(root)/\(path)"
    }

    // MARK: Entry points

    /// `bin/<name>` launchers for `name = module:function` entry points, as conda writes them.
    func entryPointScripts(_ entryPoints: [String], package: String) throws -> [(path: String, bytes: [UInt8])] {
        try entryPoints.map { line in
            let parts = line.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            let target = parts.count == 2 ? parts[1].split(separator: ":").map(String.init) : []
            guard parts.count == 2, !parts[0].isEmpty, target.count == 2 else {
                throw CondaLinkError.invalidEntryPoint(package: package, entryPoint: line)
            }
            let function = target[1].split(separator: ".").first.map(String.init) ?? target[1]
            let text = """
                #!\(prefix)/bin/python
                # -*- coding: utf-8 -*-
                import re
                import sys

                from \(target[0]) import \(function)

                if __name__ == '__main__':
                    sys.argv[0] = re.sub(r'(-script\\.pyw?|\\.exe)?$', '', sys.argv[0])
                    sys.exit(\(target[1])())

                """
            return ("bin/\(parts[0])", Array(text.utf8))
        }
    }

    // MARK: Records

    /// The `conda-meta` record: the repodata fields, plus `files`, `paths_data`,
    /// `requested_spec` and `link`.
    static func metadata(
        record: CondaPackageRecord, index: CondaPackageRecord, files: [(path: String, entry: PathEntry)], requestedSpec: String?
    ) throws -> [UInt8] {
        var object: [String: Any] = [
            "name": record.name, "version": record.version, "build": record.build, "build_number": record.buildNumber,
            "build_string": record.build, "channel": record.channel, "url": record.url, "fn": record.fn,
            "subdir": record.subdir.isEmpty ? index.subdir : record.subdir,
            "depends": record.depends.isEmpty ? index.depends : record.depends,
            "constrains": record.constrains.isEmpty ? index.constrains : record.constrains,
            "files": files.map(\.path),
            "paths_data": [
                "paths_version": 1,
                "paths": files.map { file -> [String: Any] in
                    var path: [String: Any] = ["_path": file.path, "path_type": file.entry.pathType.rawValue]
                    if let sha256 = file.entry.sha256 { path["sha256"] = sha256 }
                    if let size = file.entry.sizeInBytes { path["size_in_bytes"] = size }
                    if let placeholder = file.entry.prefixPlaceholder { path["prefix_placeholder"] = placeholder }
                    if let mode = file.entry.fileMode { path["file_mode"] = mode.rawValue }
                    return path
                },
            ],
            "requested_spec": requestedSpec ?? "",
            "link": ["source": "", "type": 1],
        ]
        if let md5 = record.md5 { object["md5"] = md5 }
        if let sha256 = record.sha256 { object["sha256"] = sha256 }
        if let size = record.size { object["size"] = size }
        if let timestamp = record.timestamp ?? index.timestamp { object["timestamp"] = timestamp }
        if let license = record.license ?? index.license { object["license"] = license }
        if let noarch = record.noarch ?? index.noarch { object["noarch"] = noarch }
        return Array(try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys]))
    }

    // MARK: Spilling

    private static func spill(_ reader: TarReader, to path: String) throws -> (Digest, Int64) {
        guard FileManager.default.createFile(atPath: path, contents: nil), let handle = FileHandle(forWritingAtPath: path) else {
            throw CondaLinkError.spill(path: path)
        }
        defer { try? handle.close() }
        var hasher = DigestHasher()
        var written: Int64 = 0
        try reader.forEachChunk { chunk in
            hasher.update(chunk)
            handle.write(Data(chunk))
            written += Int64(chunk.count)
        }
        return (hasher.finalize(), written)
    }
}

public enum CondaLinkError: Error, CustomStringConvertible, Equatable {
    case linkScripts(package: String, scripts: [String])
    case noPython(package: String)
    case placeholderFileTooLarge(package: String, path: String, size: Int64)
    case prefix(package: String, path: String, reason: String)
    case unsupportedEntry(package: String, path: String)
    case invalidEntryPoint(package: String, entryPoint: String)
    case spill(path: String)

    public var description: String {
        switch self {
        case .linkScripts(let package, let scripts):
            return "\(package) has link scripts (\(scripts.joined(separator: ", "))), which conda runs when installing; smimg runs nothing inside the image, so it cannot install this package: pick another build or install it another way"
        case .noPython(let package):
            return "\(package) is a noarch: python package, but the prefix has no Python: install python first, or say python: in the recipe"
        case .placeholderFileTooLarge(let package, let path, let size):
            return "\(package): \(path) (\(size) bytes) carries the build prefix and is too large to rewrite in memory"
        case .prefix(let package, let path, let reason):
            return "\(package): cannot rewrite the prefix in \(path): \(reason)"
        case .unsupportedEntry(let package, let path):
            return "\(package): \(path) is a device or FIFO, which conda packages do not ship"
        case .invalidEntryPoint(let package, let entryPoint):
            return "\(package): entry point '\(entryPoint)' is not 'name = module:function'"
        case .spill(let path):
            return "cannot write \(path) while linking: check the free space of the build cache"
        }
    }
}
