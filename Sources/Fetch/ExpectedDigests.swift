/// Hashes a download must have (lowercase hex); nil means not pinned.
public struct ExpectedDigests: Sendable, Hashable {
    public var sha256: String?
    public var md5: String?

    public init(sha256: String? = nil, md5: String? = nil) {
        self.sha256 = sha256?.lowercased()
        self.md5 = md5?.lowercased()
    }
}

/// A completed, verified download.
public struct DownloadedFile: Sendable, Hashable {
    public var path: String
    /// Lowercase hex.
    public var sha256: String
    /// Lowercase hex (conda's explicit lists pin MD5).
    public var md5: String
    public var size: Int64

    public init(path: String, sha256: String, md5: String, size: Int64) {
        self.path = path
        self.sha256 = sha256
        self.md5 = md5
        self.size = size
    }
}

/// A small document: an index page, repodata.
public struct FetchedDocument: Sendable {
    /// The URL that answered, after redirects (relative links resolve against it); without
    /// credentials.
    public var url: String
    public var contentType: String?
    public var body: [UInt8]

    public init(url: String, contentType: String?, body: [UInt8]) {
        self.url = url
        self.contentType = contentType
        self.body = body
    }
}
