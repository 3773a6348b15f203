import Archive
import Foundation
import Layout
import OCI

/// A source whose large blobs are downloaded once into a local content store before they are
/// sent on: when the destination fails half-way (a cross-border link drops, a token expires),
/// the retry, or the next run, reads the blob from disk instead of from the source again.
///
/// Blobs below `threshold` stream straight through. A staged blob is complete and verified
/// before it is used (``BlobStore/ingest(expected:syncToDisk:)`` keeps nothing otherwise);
/// ``release()`` removes the blobs this source staged once the image they belong to is safely
/// in the destination.
public final class StagingImageSource: ImageSource, @unchecked Sendable {
    let base: any ImageSource
    let store: BlobStore
    let threshold: Int64
    private let lock = NSLock()
    private var staged: Set<Digest> = []

    public init(base: any ImageSource, store: BlobStore, threshold: Int64) {
        self.base = base
        self.store = store
        self.threshold = threshold
    }

    public var displayName: String { base.displayName }
    public var registryRepository: ImageReference? { base.registryRepository }
    public func rootManifest() async throws -> Manifest { noting(try await base.rootManifest()) }
    public func manifest(_ descriptor: Descriptor) async throws -> Manifest { noting(try await base.manifest(descriptor)) }

    /// Remembers the large blobs of an image manifest: an earlier, interrupted run may have
    /// staged them although this run finds them in the destination and never reads them.
    private func noting(_ manifest: Manifest) -> Manifest {
        if case .image(let image)? = try? manifest.content() {
            let large = image.blobs.filter { $0.size >= threshold }.map(\.digest)
            lock.withLock { staged.formUnion(large) }
        }
        return manifest
    }

    public func blob(_ descriptor: Descriptor) async throws -> ByteChunks {
        guard descriptor.size >= threshold else { return try await base.blob(descriptor) }
        let path = store.path(for: descriptor.digest)
        if !Self.hasFile(path, size: descriptor.size) {
            try await stage(descriptor)
        }
        lock.withLock { _ = staged.insert(descriptor.digest) }
        return try FileChunks.read(path: path)
    }

    /// Whether the blob is staged already (from an earlier attempt or run).
    public func isStaged(_ descriptor: Descriptor) -> Bool {
        Self.hasFile(store.path(for: descriptor.digest), size: descriptor.size)
    }

    /// Removes what an earlier, interrupted run staged for an image the destination turned out to
    /// have already: the large blobs of the root manifest (and of an index's children).
    public func releaseStaged(for root: Manifest) async {
        _ = noting(root)
        if case .index(let index)? = try? root.content() {
            for child in index.manifests {
                _ = try? await manifest(child)
            }
        }
        release()
    }

    /// Removes the staged blobs of the images this source served (once they are in place).
    public func release() {
        let digests = lock.withLock { () -> Set<Digest> in
            defer { staged = [] }
            return staged
        }
        for digest in digests {
            try? FileManager.default.removeItem(atPath: store.path(for: digest))
        }
    }

    private func stage(_ descriptor: Descriptor) async throws {
        let ingest = try store.ingest(expected: descriptor)
        do {
            for try await chunk in try await base.blob(descriptor) {
                try chunk.withUnsafeReadableBytes { try ingest.write($0) }
            }
            try ingest.finish()
        } catch {
            ingest.abort()
            throw error
        }
    }

    static func hasFile(_ path: String, size: Int64) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && Int64(info.st_size) == size
    }
}
