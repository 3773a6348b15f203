import NIOCore

/// Bytes of a blob as they arrive, in order. Single pass.
public typealias ByteChunks = AsyncThrowingStream<ByteBuffer, any Error>

/// Where an image comes from: a registry, an OCI layout, an archive, or the builder.
///
/// One abstraction that every location implements, so that any source can be copied to any
/// destination by the same engine.
public protocol ImageSource: Sendable {
    /// How the source is named to a person (`docker://registry/repo:tag`, `oci:dir:tag`).
    var displayName: String { get }

    /// The manifest the source names: an image manifest or an index.
    func rootManifest() async throws -> Manifest

    /// A manifest the root index lists, by its descriptor. Implementations verify its digest.
    func manifest(_ descriptor: Descriptor) async throws -> Manifest

    /// Streams a blob. The bytes are not yet verified: `VerifyingChunks` checks them on the way.
    func blob(_ descriptor: Descriptor) async throws -> ByteChunks

    /// The registry repository this source reads from, when it is one (for cross-repository mounts).
    var registryRepository: ImageReference? { get }
}

extension ImageSource {
    public var registryRepository: ImageReference? { nil }
}

/// Where an image goes.
///
/// Destinations make nothing visible under a tag before every blob the tagged manifest needs
/// is in place, and never make visible a blob whose bytes did not hash to its digest.
public protocol ImageDestination: Sendable {
    var displayName: String { get }

    /// How many blobs may be written at once (an archive is written sequentially).
    var maxConcurrentBlobWrites: Int { get }

    /// Whether the destination already holds the blob (so it need not be sent).
    func hasBlob(_ descriptor: Descriptor) async throws -> Bool

    /// What the destination can tell about many blobs at once, before any is copied, without a
    /// request per blob (ECR's BatchCheckLayerAvailability): `true` for a blob it holds, `false`
    /// for one it does not. Blobs missing from the answer are asked one by one with `hasBlob`.
    /// The default answers nothing.
    func blobPresence(_ descriptors: [Descriptor]) async throws -> [Digest: Bool]

    /// Tries to satisfy the blob without sending it, from another repository of the same registry.
    /// Returns false when the blob must be uploaded.
    func mountBlob(_ descriptor: Descriptor, from source: ImageReference) async throws -> Bool

    /// Writes a blob. `chunks` throws before its end if the content does not verify, and the
    /// destination must then leave nothing behind.
    func putBlob(_ descriptor: Descriptor, chunks: ByteChunks) async throws

    /// Writes a manifest whose blobs (or child manifests) are all present. `tag` nil writes it by
    /// digest only.
    func putManifest(_ manifest: Manifest, tag: String?) async throws

    /// The tag `putManifest` should use for the root manifest when the user gave none.
    var tag: String? { get }

    /// Whether it can hold an index (a multi-platform image); an archive holds one image.
    var supportsIndex: Bool { get }

    /// Finishes the destination (an archive's trailer, a layout's index). Nothing a destination
    /// writes is visible under its name before this returns.
    func commit() async throws

    /// Called instead of `commit()` when the copy failed: removes partial output.
    func discard() async
}

extension ImageDestination {
    public var maxConcurrentBlobWrites: Int { .max }
    public func blobPresence(_ descriptors: [Descriptor]) async throws -> [Digest: Bool] { [:] }
    public func mountBlob(_ descriptor: Descriptor, from source: ImageReference) async throws -> Bool { false }
    public var supportsIndex: Bool { true }
    public func commit() async throws {}
    public func discard() async {}
}
