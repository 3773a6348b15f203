import OCI

/// What a copy did: the `--json` result of `smimg copy`.
public struct CopyReport: Codable, Sendable {
    public struct Blobs: Codable, Sendable {
        public var total = 0
        public var copied = 0
        public var skipped = 0
        public var mounted = 0
    }

    public struct Bytes: Codable, Sendable {
        public var total: Int64 = 0
        public var transferred: Int64 = 0
        public var skipped: Int64 = 0
    }

    public var source: String
    public var destination: String
    public var digest: String
    public var mediaType: String
    public var platforms: [String]
    public var manifests: Int
    public var blobs = Blobs()
    public var bytes = Bytes()
    public var seconds: Double = 0

    public init(source: String, destination: String, root: Manifest, platforms: [String], manifests: Int) {
        self.source = source
        self.destination = destination
        self.digest = root.digest.description
        self.mediaType = root.mediaType
        self.platforms = platforms
        self.manifests = manifests
    }

    mutating func record(_ outcome: BlobOutcome, size: Int64) {
        blobs.total += 1
        bytes.total += size
        switch outcome {
        case .copied:
            blobs.copied += 1
            bytes.transferred += size
        case .skipped:
            blobs.skipped += 1
            bytes.skipped += size
        case .mounted:
            blobs.mounted += 1
            bytes.skipped += size
        }
    }
}

/// How one blob reached the destination.
public enum BlobOutcome: String, Sendable {
    /// Sent over the wire.
    case copied
    /// Already there.
    case skipped
    /// Linked from another repository of the same registry.
    case mounted
}
