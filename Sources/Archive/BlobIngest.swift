import Foundation
import OCI

/// A blob being written into a `BlobStore`: a sink that hashes and counts what it writes to a
/// temporary file and, on `finish()`, renames it to `blobs/<algorithm>/<hex>`.
public final class BlobIngest: ByteSink {
    public let store: BlobStore
    private let expected: Descriptor?
    private let temporaryPath: String
    private let file: FileSink
    private var hasher: DigestHasher
    private var isOpen = true

    /// Set by `finish()`.
    public private(set) var digest: Digest?
    public var size: Int64 { hasher.byteCount }
    /// Where the blob is once finished.
    public var path: String? { digest.map { store.path(for: $0) } }

    init(store: BlobStore, expected: Descriptor?, syncToDisk: Bool) throws {
        self.store = store
        self.expected = expected
        self.hasher = DigestHasher(algorithm: expected?.digest.algorithm ?? .sha256)
        try BlobStore.makeDirectory(store.ingestDirectory)
        let path = "\(store.ingestDirectory)/blob-\(UUID().uuidString.lowercased())"
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw ArchiveError.io(operation: "create temporary file", path: path, errno: errno) }
        temporaryPath = path
        file = FileSink(fileDescriptor: fd, path: path, closeWhenDone: true, syncOnFinish: syncToDisk)
    }

    deinit { abort() }

    public func write(_ bytes: UnsafeRawBufferPointer) throws {
        guard isOpen else { throw ArchiveError.invalidState("blob ingest: write after finish") }
        hasher.update(bytes)
        do {
            try file.write(bytes)
        } catch {
            abort()
            throw error
        }
        if let expected, hasher.byteCount > expected.size {
            abort()
            throw ArchiveError.digestMismatch(expected: "\(expected.digest) (\(expected.size) bytes)", actual: "more than \(expected.size) bytes")
        }
    }

    public func finish() throws {
        guard isOpen else { throw ArchiveError.invalidState("blob ingest: finish called twice or after abort") }
        let digest = hasher.finalize()
        do {
            try file.finish()
            if let expected, expected.digest != digest || expected.size != hasher.byteCount {
                throw ArchiveError.digestMismatch(
                    expected: "\(expected.digest) (\(expected.size) bytes)", actual: "\(digest) (\(hasher.byteCount) bytes)")
            }
            let destination = store.path(for: digest)
            try BlobStore.makeDirectory((destination as NSString).deletingLastPathComponent)
            guard rename(temporaryPath, destination) == 0 else {
                throw ArchiveError.io(operation: "rename blob into", path: destination, errno: errno)
            }
        } catch {
            abort()
            throw error
        }
        isOpen = false
        self.digest = digest
        rmdir(store.ingestDirectory)
    }

    public func abort() {
        guard isOpen else { return }
        isOpen = false
        file.abort()
        unlink(temporaryPath)
        rmdir(store.ingestDirectory)
    }
}
