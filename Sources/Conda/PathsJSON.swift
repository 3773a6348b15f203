import Foundation

/// The file list of a conda package: `info/paths.json` (`paths_version` 1), or the legacy
/// `info/files`, `info/has_prefix` and `info/no_link` when a package has no paths.json.
public struct PathsJSON: Sendable, Hashable {
    /// The placeholder old packages were built with; a bare path in `info/has_prefix` means it.
    public static let legacyPlaceholder = "/opt/anaconda1anaconda2anaconda3"

    public var entries: [PathEntry]

    public init(entries: [PathEntry]) {
        self.entries = entries
    }

    /// Decodes `info/paths.json`; refuses other `paths_version`s and paths that would leave the
    /// prefix (absolute, or with `..`).
    public init(decoding data: Data) throws(PathsJSONError) {
        struct Document: Decodable {
            var pathsVersion: Int?
            var paths: [RawEntry]?
            enum CodingKeys: String, CodingKey {
                case pathsVersion = "paths_version"
                case paths
            }
        }
        struct RawEntry: Decodable {
            var path: String
            var pathType: String?
            var fileMode: String?
            var prefixPlaceholder: String?
            var noLink: Bool?
            var sha256: String?
            var sizeInBytes: Int64?
            enum CodingKeys: String, CodingKey {
                case path = "_path"
                case pathType = "path_type"
                case fileMode = "file_mode"
                case prefixPlaceholder = "prefix_placeholder"
                case noLink = "no_link"
                case sha256
                case sizeInBytes = "size_in_bytes"
            }
        }
        let document: Document
        do {
            document = try JSONDecoder().decode(Document.self, from: data)
        } catch {
            throw .invalidDocument("\(error)")
        }
        guard document.pathsVersion == 1 else { throw .unsupportedVersion(document.pathsVersion) }
        var entries: [PathEntry] = []
        for raw in document.paths ?? [] {
            try Self.checkRelative(raw.path)
            let pathType = PathEntry.PathType(rawValue: raw.pathType ?? "hardlink")
            guard let pathType else {
                throw .invalidEntry(path: raw.path, reason: "unknown path_type '\(raw.pathType!)'")
            }
            var fileMode: PathEntry.FileMode?
            if let mode = raw.fileMode {
                fileMode = PathEntry.FileMode(rawValue: mode)
                guard fileMode != nil else { throw .invalidEntry(path: raw.path, reason: "unknown file_mode '\(mode)'") }
            }
            if let placeholder = raw.prefixPlaceholder, placeholder.isEmpty {
                throw .invalidEntry(path: raw.path, reason: "empty prefix_placeholder")
            }
            entries.append(
                PathEntry(
                    path: raw.path, pathType: pathType, prefixPlaceholder: raw.prefixPlaceholder, fileMode: fileMode,
                    noLink: raw.noLink ?? false, sha256: raw.sha256?.lowercased(), sizeInBytes: raw.sizeInBytes))
        }
        self.entries = entries
    }

    /// Builds the list from the legacy files: `files` (one path a line), `hasPrefix` (see
    /// ``HasPrefixFile``) and `noLink` (one path a line). `softlinks` names the paths that are
    /// symbolic links in the extracted package (conda checks the file system for this).
    public init(legacyFiles files: String, hasPrefix: String? = nil, noLink: String? = nil, softlinks: Set<String> = [])
        throws(PathsJSONError)
    {
        let prefixed = try hasPrefix.map { text throws(PathsJSONError) in try HasPrefixFile(parsing: text) }
        let placeholders = Dictionary(
            (prefixed?.entries ?? []).map { ($0.path, $0) }, uniquingKeysWith: { first, _ in first })
        let unlinked = Set(Self.lines(noLink ?? ""))
        var entries: [PathEntry] = []
        for path in Self.lines(files) {
            try Self.checkRelative(path)
            let prefix = placeholders[path]
            entries.append(
                PathEntry(
                    path: path, pathType: softlinks.contains(path) ? .softlink : .hardlink,
                    prefixPlaceholder: prefix?.placeholder, fileMode: prefix?.fileMode,
                    noLink: unlinked.contains(path)))
        }
        self.entries = entries
    }

    static func lines(_ text: String) -> [String] {
        text.split(whereSeparator: \.isNewline).map { String($0).trimmingWhitespace() }.filter { !$0.isEmpty }
    }

    static func checkRelative(_ path: String) throws(PathsJSONError) {
        let components = path.split(separator: "/", omittingEmptySubsequences: false)
        guard !path.isEmpty, !path.hasPrefix("/"), !components.contains("..") else { throw .unsafePath(path) }
    }
}

/// Why a package's file list could not be read.
public enum PathsJSONError: Error, Sendable, Hashable, CustomStringConvertible {
    case invalidDocument(String)
    /// Only `paths_version` 1 is understood (nil: the key is missing).
    case unsupportedVersion(Int?)
    case invalidEntry(path: String, reason: String)
    /// A path that is absolute or climbs out of the prefix with `..`.
    case unsafePath(String)
    /// A malformed `info/has_prefix` line.
    case badHasPrefixLine(line: Int, text: String, reason: String)

    public var description: String {
        switch self {
        case .invalidDocument(let reason): return "info/paths.json is not valid: \(reason)"
        case .unsupportedVersion(let version):
            return "info/paths.json has paths_version \(version.map(String.init) ?? "(missing)"); only 1 is supported"
        case .invalidEntry(let path, let reason): return "info/paths.json entry \(path): \(reason)"
        case .unsafePath(let path): return "package path '\(path)' is not inside the prefix"
        case .badHasPrefixLine(let line, let text, let reason):
            return "info/has_prefix line \(line): '\(text)': \(reason)"
        }
    }
}
