import Archive
import Foundation
import OCI

/// The local content store of `smimg build`: blobs by digest (`blobs/sha256/<hex>`, written
/// by the layer writer and by base-layer downloads) and the build cache's records
/// (`cache/layers/<key>.json`). Everything is written under a temporary name and renamed into
/// place, so concurrent builds sharing a store never see partial files.
///
/// The root is `SMIMG_CACHE`, else `$XDG_CACHE_HOME/smimg`, else `~/.cache/smimg`.
public struct ContentStore: Sendable, Hashable {
    public static let environmentVariable = "SMIMG_CACHE"

    public let root: String

    public init(root: String) {
        self.root = root
    }

    /// The store named by the environment (see the type's documentation).
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> ContentStore {
        if let path = environment[environmentVariable], !path.isEmpty { return ContentStore(root: path) }
        if let xdg = environment["XDG_CACHE_HOME"], xdg.hasPrefix("/") { return ContentStore(root: xdg + "/smimg") }
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        return ContentStore(root: home + "/.cache/smimg")
    }

    /// The blob directory, as the layer writer uses it.
    public var blobs: BlobStore { BlobStore(root: root) }

    public func blobPath(_ digest: Digest) -> String { blobs.path(for: digest) }

    /// Whether the store holds the blob with the descriptor's size.
    public func hasBlob(_ descriptor: Descriptor) -> Bool {
        var info = stat()
        guard stat(blobPath(descriptor.digest), &info) == 0 else { return false }
        return Int64(info.st_size) == descriptor.size
    }

    /// Makes sure the store holds a blob, downloading it from `source` when it does not. The
    /// bytes are verified against the descriptor while they are written; a wrong or partial
    /// download leaves nothing in the store. Returns the blob's path.
    @discardableResult
    public func fetch(_ descriptor: Descriptor, from source: any ImageSource) async throws -> String {
        let path = blobPath(descriptor.digest)
        if hasBlob(descriptor) { return path }
        let ingest = try startIngest(descriptor)
        do {
            for try await chunk in try await source.blob(descriptor) {
                try chunk.withUnsafeReadableBytes { try ingest.write($0) }
            }
            try ingest.finish()
        } catch {
            ingest.abort()
            throw error
        }
        return path
    }

    /// A new ingest. `BlobIngest` removes the shared `.ingest` directory when it is empty after
    /// a blob is stored, so a concurrent ingest can find it gone between creating it and opening
    /// its temporary file; that race is retried.
    private func startIngest(_ descriptor: Descriptor) throws -> BlobIngest {
        var attempt = 0
        while true {
            do {
                return try blobs.ingest(expected: descriptor)
            } catch ArchiveError.io(_, _, let code) where code == ENOENT && attempt < 5 {
                attempt += 1
            }
        }
    }

    // MARK: build cache records

    var cacheDirectory: String { root + "/cache/layers" }

    func cacheRecordPath(_ key: Digest) -> String { cacheDirectory + "/" + key.hex + ".json" }

    /// The layer recorded under `key`, when its record and its blob are both present.
    func cachedLayer(for key: Digest) -> CachedLayer? {
        guard let data = FileManager.default.contents(atPath: cacheRecordPath(key)),
              let record = try? JSONDecoder().decode(CachedLayer.self, from: data),
              hasBlob(record.descriptor)
        else { return nil }
        return record
    }

    /// Records a layer under `key` (temporary file, then rename).
    func recordLayer(_ layer: CachedLayer, for key: Digest) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = try encoder.encode(layer)
        try FileManager.default.createDirectory(atPath: cacheDirectory, withIntermediateDirectories: true)
        let temporary = cacheDirectory + "/.tmp-" + UUID().uuidString
        guard FileManager.default.createFile(atPath: temporary, contents: data) else {
            throw BuildError.storeFailed(path: temporary, reason: "cannot create the file")
        }
        guard rename(temporary, cacheRecordPath(key)) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw BuildError.storeFailed(path: cacheRecordPath(key), reason: reason)
        }
    }
}

/// What the build cache remembers about a step's layer.
struct CachedLayer: Codable, Sendable, Hashable {
    /// Media type as the layer writer gave it (OCI); assembly picks the manifest's family.
    var descriptor: Descriptor
    var diffID: Digest
    var uncompressedSize: Int64
}
