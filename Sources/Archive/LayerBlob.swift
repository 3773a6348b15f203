import OCI

/// A layer written into a `BlobStore`: its descriptor (compressed media type, digest, size) for
/// the manifest, and its diffID (digest of the uncompressed tar) for the config's `rootfs`.
public struct LayerBlob: Hashable, Sendable, Codable {
    public var descriptor: Descriptor
    public var diffID: Digest
    /// Size of the uncompressed tar stream.
    public var uncompressedSize: Int64
    /// The blob's file in the store.
    public var path: String

    public init(descriptor: Descriptor, diffID: Digest, uncompressedSize: Int64, path: String) {
        self.descriptor = descriptor
        self.diffID = diffID
        self.uncompressedSize = uncompressedSize
        self.path = path
    }
}
