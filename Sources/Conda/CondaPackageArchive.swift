import Archive
import Foundation

/// A conda package file read without extracting it: `.tar.bz2` (one tar with `info/` and the
/// payload) or `.conda` (a zip holding `info-*.tar.zst` and `pkg-*.tar.zst`, CEP 35), through
/// libarchive.
///
/// ``info()`` reads the small `info/` files (index, paths, prefix list, link scripts); the
/// payload is streamed entry by entry with ``forEachPayloadEntry(_:)``, so a package of any size
/// goes into a layer with one buffer of memory. Unsafe paths (absolute, `..`) are refused by
/// the reader.
public struct CondaPackageArchive: Sendable {
    public enum Format: Sendable, Hashable {
        case tarBz2
        case conda
    }

    /// What `info/` says about the package.
    public struct Info: Sendable {
        /// `info/index.json` as a record (name, version, build, depends, noarch, …).
        public var index: CondaPackageRecord
        /// `info/paths.json`, or the legacy `info/files` + `info/has_prefix` + `info/no_link`.
        public var paths: PathsJSON
        /// `noarch.entry_points` of `info/link.json` (`name = module:function`), for noarch
        /// python packages: the console scripts to generate.
        public var entryPoints: [String]
        /// Every `info/` file by its path below `info/`, for the `conda-meta` record.
        public var files: [String: [UInt8]]
    }

    public let path: String
    public let format: Format

    /// The largest `info/` file read into memory.
    static let infoFileLimit = 32 << 20

    /// The package at `path`; its format comes from `fileName` (the package's name, for a file
    /// kept under another name, such as a content-addressed store's), else from `path`.
    public init(path: String, fileName: String? = nil) throws(CondaPackageError) {
        self.path = path
        let name = fileName ?? path
        if name.hasSuffix(".conda") {
            format = .conda
        } else if name.hasSuffix(".tar.bz2") {
            format = .tarBz2
        } else {
            throw .unsupportedFormat(name)
        }
    }

    /// Reads `info/`.
    public func info() throws -> Info {
        var files: [String: [UInt8]] = [:]
        struct InfoComplete: Error {}
        do {
            try forEachEntry(inInfo: true) { entry, reader in
                guard entry.path.hasPrefix("info/"), case .regular = entry.kind else {
                    // `info/` is one block in a `.tar.bz2` (first, as conda writes them): once it
                    // has been read, the payload need not be decompressed to the end.
                    if format == .tarBz2, !files.isEmpty, !entry.path.hasPrefix("info") { throw InfoComplete() }
                    try reader.skipData()
                    return
                }
                files[String(entry.path.dropFirst("info/".count))] = try reader.readAll(limit: Self.infoFileLimit)
            }
        } catch is InfoComplete {}
        guard let indexBytes = files["index.json"] else { throw CondaPackageError.missingInfo(path, "info/index.json") }
        var index: CondaPackageRecord
        do {
            index = try JSONDecoder().decode(CondaPackageRecord.self, from: Data(indexBytes))
        } catch {
            throw CondaPackageError.invalidInfo(path, "info/index.json", String(describing: error))
        }
        index.fn = (path as NSString).lastPathComponent
        let paths: PathsJSON
        if let pathsBytes = files["paths.json"] {
            paths = try PathsJSON(decoding: Data(pathsBytes))
        } else if let legacy = files["files"] {
            let softlinks = try symlinkPaths()
            paths = try PathsJSON(
                legacyFiles: String(decoding: legacy, as: UTF8.self),
                hasPrefix: files["has_prefix"].map { String(decoding: $0, as: UTF8.self) },
                noLink: files["no_link"].map { String(decoding: $0, as: UTF8.self) }, softlinks: softlinks)
        } else {
            throw CondaPackageError.missingInfo(path, "info/paths.json (or the legacy info/files)")
        }
        struct LinkJSON: Decodable {
            struct Noarch: Decodable { var entry_points: [String]? }
            var noarch: Noarch?
        }
        var entryPoints: [String] = []
        if let linkBytes = files["link.json"] {
            do {
                entryPoints = try JSONDecoder().decode(LinkJSON.self, from: Data(linkBytes)).noarch?.entry_points ?? []
            } catch {
                throw CondaPackageError.invalidInfo(path, "info/link.json", String(describing: error))
            }
        }
        return Info(index: index, paths: paths, entryPoints: entryPoints, files: files)
    }

    /// The scripts conda would run when linking or unlinking the package (`bin/.NAME-pre-link.sh`,
    /// `-post-link`, `-pre-unlink`, and their `Scripts/….bat` forms): the builder cannot run them.
    public static func linkScripts(in paths: PathsJSON, name: String) -> [String] {
        let wanted = ["pre-link", "post-link", "pre-unlink"].flatMap { stage in
            ["bin/.\(name)-\(stage).sh", "Scripts/.\(name)-\(stage).bat"]
        }
        return paths.entries.map(\.path).filter { wanted.contains($0) }.sorted()
    }

    /// Streams every payload entry (everything outside `info/`) in archive order. `body` reads
    /// or skips the entry's data through the reader it is given.
    public func forEachPayloadEntry(_ body: (TarEntry, TarReader) throws -> Void) throws {
        try forEachEntry(inInfo: false) { entry, reader in
            if entry.path == "info" || entry.path.hasPrefix("info/") {
                try reader.skipData()
            } else {
                try body(entry, reader)
            }
        }
    }

    // MARK: Reading

    /// The entries of the tar that holds `info/` (`inInfo`) or the payload: for `.tar.bz2` the
    /// same single tar; for `.conda` the `info-*.tar.zst` or `pkg-*.tar.zst` member of the zip.
    private func forEachEntry(inInfo: Bool, _ body: (TarEntry, TarReader) throws -> Void) throws {
        switch format {
        case .tarBz2:
            let reader = try TarReader(path: path, options: .init(formats: [.tar]))
            while let entry = try reader.next() { try body(entry, reader) }
        case .conda:
            let outer = try TarReader(path: path, options: .init(formats: [.zip]))
            let prefix = inInfo ? "info-" : "pkg-"
            var found = false
            while let member = try outer.next() {
                guard member.path.hasPrefix(prefix), member.path.hasSuffix(".tar.zst") else {
                    try outer.skipData()
                    continue
                }
                found = true
                let inner = try TarReader(source: outer.dataSource(), options: .init(formats: [.tar]))
                while let entry = try inner.next() { try body(entry, inner) }
            }
            guard found else { throw CondaPackageError.missingInfo(path, "the \(prefix)*.tar.zst member") }
        }
    }

    /// Symbolic links in the payload (the legacy `info/files` list cannot tell them apart).
    private func symlinkPaths() throws -> Set<String> {
        var links: Set<String> = []
        try forEachPayloadEntry { entry, reader in
            if case .symlink = entry.kind { links.insert(entry.path) }
            try reader.skipData()
        }
        return links
    }
}

public enum CondaPackageError: Error, CustomStringConvertible, Equatable {
    case unsupportedFormat(String)
    case missingInfo(String, String)
    case invalidInfo(String, String, String)

    public var description: String {
        switch self {
        case .unsupportedFormat(let path):
            return "\(path) is not a conda package: expected a .conda or .tar.bz2 file"
        case .missingInfo(let path, let what):
            return "\(path) has no \(what): not a conda package, or a damaged one"
        case .invalidInfo(let path, let file, let reason):
            return "\(path): \(file) is not valid: \(reason)"
        }
    }
}
