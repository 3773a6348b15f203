/// One file of a conda package, as `info/paths.json` lists it (and as `conda-meta` records it
/// under `paths_data`). JSON keys are conda's: `_path`, `path_type`, `file_mode`,
/// `prefix_placeholder`, `no_link`, `sha256`, `size_in_bytes`.
public struct PathEntry: Sendable, Hashable, Codable {
    /// How the file is put into the prefix.
    public enum PathType: String, Sendable, Hashable, Codable {
        case hardlink
        case softlink
        /// An (empty) directory the package ships.
        case directory
    }

    /// How a prefix placeholder inside the file is replaced.
    public enum FileMode: String, Sendable, Hashable, Codable {
        /// Every occurrence is replaced; the file may change length.
        case text
        /// Occurrences inside NUL-terminated strings are replaced and padded with NULs, so the
        /// file keeps its length.
        case binary
    }

    /// Relative to the prefix, `/`-separated: `lib/python3.10/site-packages/x.py`.
    public var path: String
    public var pathType: PathType
    /// The placeholder written into the file at build time, if the file needs rewriting.
    public var prefixPlaceholder: String?
    /// Set when `prefixPlaceholder` is; conda's default is `text`.
    public var fileMode: FileMode?
    /// Copy rather than link (the file must not be shared with the package cache).
    public var noLink: Bool
    /// Lowercase hex of the file in the package.
    public var sha256: String?
    public var sizeInBytes: Int64?

    public init(
        path: String, pathType: PathType = .hardlink, prefixPlaceholder: String? = nil, fileMode: FileMode? = nil,
        noLink: Bool = false, sha256: String? = nil, sizeInBytes: Int64? = nil
    ) {
        self.path = path
        self.pathType = pathType
        self.prefixPlaceholder = prefixPlaceholder
        self.fileMode = prefixPlaceholder == nil ? fileMode : (fileMode ?? .text)
        self.noLink = noLink
        self.sha256 = sha256
        self.sizeInBytes = sizeInBytes
    }

    enum CodingKeys: String, CodingKey {
        case path = "_path"
        case pathType = "path_type"
        case prefixPlaceholder = "prefix_placeholder"
        case fileMode = "file_mode"
        case noLink = "no_link"
        case sha256
        case sizeInBytes = "size_in_bytes"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            path: try container.decode(String.self, forKey: .path),
            pathType: try container.decodeIfPresent(PathType.self, forKey: .pathType) ?? .hardlink,
            prefixPlaceholder: try container.decodeIfPresent(String.self, forKey: .prefixPlaceholder),
            fileMode: try container.decodeIfPresent(FileMode.self, forKey: .fileMode),
            noLink: try container.decodeIfPresent(Bool.self, forKey: .noLink) ?? false,
            sha256: try container.decodeIfPresent(String.self, forKey: .sha256),
            sizeInBytes: try container.decodeIfPresent(Int64.self, forKey: .sizeInBytes))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(path, forKey: .path)
        try container.encode(pathType, forKey: .pathType)
        try container.encodeIfPresent(prefixPlaceholder, forKey: .prefixPlaceholder)
        try container.encodeIfPresent(fileMode, forKey: .fileMode)
        if noLink { try container.encode(true, forKey: .noLink) }
        try container.encodeIfPresent(sha256, forKey: .sha256)
        try container.encodeIfPresent(sizeInBytes, forKey: .sizeInBytes)
    }
}
