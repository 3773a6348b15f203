/// What a mirror did, or with `--dry-run` would do: one entry per image and the totals. The
/// `--json` result of `smimg mirror`.
public struct MirrorReport: Codable, Sendable {
    public enum Status: String, Codable, Sendable {
        /// Written to the destination (some or all blobs sent).
        case copied
        /// The destination tag already named the same manifest: nothing was sent.
        case upToDate = "up-to-date"
        /// Dry run: what a real run would send.
        case planned
        case failed
        /// Not tried because an earlier image failed (without --keep-going).
        case notAttempted = "not-attempted"
    }

    public struct Image: Codable, Sendable {
        public var source: String
        public var destination: String
        public var status: Status
        public var digest: String?
        public var error: String?
        public var blobs = CopyReport.Blobs()
        public var bytes = CopyReport.Bytes()
        public var seconds: Double = 0
        /// The error of a failed image, as thrown (not encoded: `error` has its text).
        public var failure: (any Error)?

        enum CodingKeys: String, CodingKey {
            case source, destination, status, digest, error, blobs, bytes, seconds
        }

        public init(source: String, destination: String, status: Status) {
            self.source = source
            self.destination = destination
            self.status = status
        }
    }

    public struct Totals: Codable, Sendable {
        public var images = 0
        public var copied = 0
        public var upToDate = 0
        public var planned = 0
        public var failed = 0
        public var notAttempted = 0
        public var blobsTransferred = 0
        public var bytesTransferred: Int64 = 0
        /// Bytes the destination already had (skipped or mounted blobs, up-to-date images).
        public var bytesPresent: Int64 = 0
        public var seconds: Double = 0
    }

    public var images: [Image] = []
    public var totals = Totals()
    public var dryRun = false

    public init(dryRun: Bool = false) {
        self.dryRun = dryRun
    }

    /// Whether every image is in the destination (or, dry run, could be planned).
    public var succeeded: Bool { totals.failed == 0 && totals.notAttempted == 0 }

    mutating func append(_ image: Image) {
        images.append(image)
        totals.images += 1
        switch image.status {
        case .copied: totals.copied += 1
        case .upToDate: totals.upToDate += 1
        case .planned: totals.planned += 1
        case .failed: totals.failed += 1
        case .notAttempted: totals.notAttempted += 1
        }
        totals.blobsTransferred += image.blobs.copied
        totals.bytesTransferred += image.bytes.transferred
        totals.bytesPresent += image.bytes.skipped
    }
}
