import Foundation
import OCI

/// Writes one OCI layer into a `BlobStore` in a single streaming pass:
///
///     entries → tar (libarchive) → SHA-256 (diffID) ┃ compressor → SHA-256 (digest) → file
///              ───────── caller's thread ─────────── ┃ ───────── compression threads ──────────
///
/// Bounded queues of 1 MiB blocks join the caller's thread to the compression threads (gzip:
/// one ISA-L worker per core, each writing its block in turn; zstd: a compression thread
/// feeding libzstd's workers), so tar production and compression use all cores in constant
/// memory. The blob is renamed to `blobs/sha256/<hex>` by
/// `finish()`; a failure or `discard()` leaves nothing in the store.
///
/// Entries must come in `LayerPathOrder` (parents first, each path once), which the writer
/// checks; `LayerContents` sorts entries given in any order. Entries whose `mtime` is nil get
/// `Options.mtime`; `addDirectory` and `addFile` set uid/gid 0 and keep permission bits.
public final class LayerWriter {
    public struct Options: Sendable {
        public var compression: Compression
        /// Modification time of entries that do not set one: `SOURCE_DATE_EPOCH` or 0.
        public var mtime: Int64
        /// fsync the blob before renaming it into the store.
        public var syncToDisk: Bool
        /// Require each entry's parent directory to be written first.
        public var requireParentDirectories: Bool
        /// Write a host file whose inode was already written by `addFile` as a hard link to it.
        public var detectHardLinks: Bool
        /// Size of host file reads and of the blocks handed to the compression thread (zstd, none).
        public var chunkSize: Int
        /// Blocks in flight to the compression thread (zstd, none).
        public var queueDepth: Int

        public init(
            compression: Compression = .gzip(), mtime: Int64 = 0, syncToDisk: Bool = false,
            requireParentDirectories: Bool = true, detectHardLinks: Bool = true,
            chunkSize: Int = 1 << 20, queueDepth: Int = 4
        ) {
            self.compression = compression
            self.mtime = mtime
            self.syncToDisk = syncToDisk
            self.requireParentDirectories = requireParentDirectories
            self.detectHardLinks = detectHardLinks
            self.chunkSize = chunkSize
            self.queueDepth = queueDepth
        }

        /// Defaults, with `mtime` from `SOURCE_DATE_EPOCH` (0 when unset).
        public static func fromEnvironment(compression: Compression = .gzip()) throws -> Options {
            Options(compression: compression, mtime: try SourceDateEpoch.mtime())
        }
    }

    private struct FileID: Hashable {
        var device: UInt64
        var inode: UInt64
    }

    public let options: Options
    private let tar: TarWriter
    private let uncompressed: DigestingSink
    private let ingest: BlobIngest
    private var order: LayerOrderChecker
    private var hardLinks: [FileID: String] = [:]
    private let readBuffer: UnsafeMutableRawBufferPointer
    private var isOpen = true

    public init(store: BlobStore, options: Options = Options()) throws {
        self.options = options
        ingest = try store.ingest(syncToDisk: options.syncToDisk)
        let compressor = try options.compression.makeCompressor(into: ingest)
        if options.compression.compressesInParallel {
            uncompressed = DigestingSink(into: compressor)
        } else {
            // A thread of its own for the compressor (and the hashing and writing behind it).
            uncompressed = DigestingSink(into: ThreadedSink(
                into: compressor, chunkSize: options.chunkSize, depth: options.queueDepth, name: "smimg-compress"))
        }
        tar = try TarWriter(sink: uncompressed, defaultMtime: options.mtime)
        order = LayerOrderChecker(requireParents: options.requireParentDirectories)
        readBuffer = .allocate(byteCount: max(64 * 1024, options.chunkSize), alignment: 64)
    }

    deinit {
        discard()
        readBuffer.deallocate()
    }

    /// Writes an entry's header. A regular entry's data follows through `writeData(_:)`.
    public func add(_ entry: TarEntry) throws {
        try requireOpen()
        var entry = entry
        entry.path = try EntryPath.normalize(entry.path)
        if case .hardLink(let target) = entry.kind {
            let cleanTarget = try EntryPath.normalize(target)
            guard LayerPathOrder.compare(cleanTarget, entry.path) < 0 else {
                throw ArchiveError.invalidEntry(path: entry.path, reason: "hard link target '\(target)' must be an earlier entry of the same layer")
            }
        }
        try order.admit(entry)
        try tar.writeEntry(entry)
    }

    /// Data of the current regular entry, in as many calls as convenient.
    public func writeData(_ bytes: UnsafeRawBufferPointer) throws {
        try requireOpen()
        try tar.writeData(bytes)
    }

    public func writeData(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { try writeData($0) }
    }

    /// A regular entry and all of its data; the entry's size must be `data.count`.
    public func add(_ entry: TarEntry, data: [UInt8]) throws {
        guard entry.isRegular, entry.size == Int64(data.count) else {
            throw ArchiveError.dataSizeMismatch(path: entry.path, expected: entry.size, actual: Int64(data.count))
        }
        try add(entry)
        try writeData(data)
    }

    /// A host file's content under `entry`'s path, mode, owner and time; the size is the file's.
    /// With `detectHardLinks`, a file whose inode this writer already stored becomes a hard link.
    public func addFile(from hostPath: String, as entry: TarEntry) throws {
        try requireOpen()
        let fd = open(hostPath, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        guard fd >= 0 else { throw ArchiveError.io(operation: "open", path: hostPath, errno: errno) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw ArchiveError.io(operation: "fstat", path: hostPath, errno: errno) }
        guard info.st_mode & S_IFMT == S_IFREG else {
            throw ArchiveError.invalidEntry(path: hostPath, reason: "not a regular file")
        }
        var entry = entry
        entry.path = try EntryPath.normalize(entry.path)
        let id = FileID(device: UInt64(info.st_dev), inode: UInt64(info.st_ino))
        if options.detectHardLinks && info.st_nlink > 1 {
            if let first = hardLinks[id] {
                entry.kind = .hardLink(target: first)
                try add(entry)
                return
            }
        }
        let size = Int64(info.st_size)
        entry.kind = .regular(size: size)
        try add(entry)
        var remaining = size
        while remaining > 0 {
            let wanted = Int(min(Int64(readBuffer.count), remaining))
            let count = read(fd, readBuffer.baseAddress, wanted)
            if count < 0 {
                if errno == EINTR { continue }
                throw ArchiveError.io(operation: "read", path: hostPath, errno: errno)
            }
            if count == 0 { throw ArchiveError.fileChanged(path: hostPath) }
            try tar.writeData(UnsafeRawBufferPointer(rebasing: readBuffer[0..<count]))
            remaining -= Int64(count)
        }
        var probe: UInt8 = 0
        if read(fd, &probe, 1) > 0 { throw ArchiveError.fileChanged(path: hostPath) }
        if options.detectHardLinks && info.st_nlink > 1 { hardLinks[id] = entry.path }
    }

    /// A host directory and everything below it at `imagePath` (`""`: the layer root), walked in
    /// layer order; see `HostTree.walk`.
    public func addDirectory(_ hostPath: String, at imagePath: String, adjust: HostTree.Adjust? = nil) throws {
        try HostTree.walk(hostPath, at: imagePath, adjust: adjust) { entry, source in
            if let source {
                try addFile(from: source, as: entry)
            } else {
                try add(entry)
            }
        }
    }

    /// `.wh.NAME`: removes `path` of the lower layers.
    public func addWhiteout(removing path: String) throws {
        try add(try Whiteout.entry(removing: path))
    }

    /// `.wh..wh..opq`: hides all lower children of `directory`.
    public func addOpaqueWhiteout(in directory: String) throws {
        try add(try Whiteout.opaqueEntry(in: directory))
    }

    /// Ends the tar stream, waits for the compression thread and moves the blob into the store.
    public func finish() throws -> LayerBlob {
        try requireOpen()
        isOpen = false
        do {
            try tar.finish()
        } catch {
            stopPipeline()
            throw error
        }
        guard let diffID = uncompressed.digest, let digest = ingest.digest, let path = ingest.path else {
            throw ArchiveError.invalidState("layer pipeline finished without digests")
        }
        return LayerBlob(
            descriptor: Descriptor(mediaType: options.compression.layerMediaType, digest: digest, size: ingest.size),
            diffID: diffID, uncompressedSize: uncompressed.byteCount, path: path)
    }

    /// Abandons the layer; nothing is left in the store. Safe to call more than once.
    public func discard() {
        guard isOpen else { return }
        isOpen = false
        tar.abort()
        stopPipeline()
    }

    /// Stops the compression threads (aborting joins them), then removes the partial blob.
    private func stopPipeline() {
        uncompressed.abort()
        ingest.abort()
    }

    private func requireOpen() throws {
        guard isOpen else { throw ArchiveError.invalidState("the layer writer is finished or discarded") }
    }

    /// Runs `body` and `finish()` on a dedicated thread, so that blocking file and pipe work
    /// stays off Swift's cooperative pool; `discard()`s on error.
    public static func write(
        to store: BlobStore, options: Options = Options(),
        _ body: @escaping @Sendable (LayerWriter) throws -> Void
    ) async throws -> LayerBlob {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread {
                do {
                    let writer = try LayerWriter(store: store, options: options)
                    do {
                        try body(writer)
                        continuation.resume(returning: try writer.finish())
                    } catch {
                        writer.discard()
                        throw error
                    }
                } catch {
                    continuation.resume(throwing: error)
                }
            }
            thread.name = "smimg-layer"
            thread.stackSize = 4 << 20
            thread.start()
        }
    }
}
