import Foundation
import OCI

/// A content-addressed directory of blobs, laid out like an OCI image layout's
/// `blobs/<algorithm>/<hex>`, so a layout directory can serve as a store.
///
/// Blobs arrive through `ingest()`: a temporary file under `<root>/.ingest/`, renamed into
/// place only once complete (and verified, when the expected descriptor is known). A failed or
/// abandoned ingest leaves nothing behind.
public struct BlobStore: Sendable, Hashable {
    public let root: String

    public init(root: String) {
        self.root = root
    }

    public func path(for digest: Digest) -> String {
        "\(root)/blobs/\(digest.algorithm.rawValue)/\(digest.hex)"
    }

    public func contains(_ digest: Digest) -> Bool {
        FileManager.default.fileExists(atPath: path(for: digest))
    }

    /// Starts writing a blob. With `expected`, `finish()` fails (and keeps nothing) unless the
    /// content has that digest and size. With `syncToDisk`, the file is fsync'ed before it is renamed.
    public func ingest(expected: Descriptor? = nil, syncToDisk: Bool = false) throws -> BlobIngest {
        try BlobIngest(store: self, expected: expected, syncToDisk: syncToDisk)
    }

    var ingestDirectory: String { "\(root)/.ingest" }

    static func makeDirectory(_ path: String) throws {
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw ArchiveError.io(operation: "create directory", path: path, errno: (error as NSError).code == 0 ? EIO : Int32((error as NSError).code))
        }
    }
}
