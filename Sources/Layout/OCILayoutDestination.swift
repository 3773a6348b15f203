import Foundation
import OCI

/// Writes an image into an OCI image layout directory, creating it if needed and keeping the
/// images already there. Blobs are written under a temporary name and renamed once complete;
/// `index.json` is replaced atomically by `commit()`, so the new tag appears only then.
public final class OCILayoutDestination: ImageDestination, @unchecked Sendable {
    public let layout: OCILayout
    public let tag: String?
    private let lock = NSLock()
    private var taggedManifests: [(Manifest, String)] = []

    public init(path: String, tag: String?) throws {
        layout = OCILayout(path: path)
        self.tag = tag ?? "latest"
        let manager = FileManager.default
        do {
            try manager.createDirectory(atPath: "\(path)/blobs/sha256", withIntermediateDirectories: true)
            if !manager.fileExists(atPath: layout.layoutFilePath) {
                try Data(#"{"imageLayoutVersion":"1.0.0"}"#.utf8).write(to: URL(fileURLWithPath: layout.layoutFilePath))
            }
        } catch {
            throw LayoutError.writeFailed(path, error.localizedDescription)
        }
        _ = try layout.readIndex(allowMissing: true)
    }

    public var displayName: String { "oci:\(layout.path)" + (tag.map { ":\($0)" } ?? "") }

    public func hasBlob(_ descriptor: Descriptor) async throws -> Bool {
        let attributes = try? FileManager.default.attributesOfItem(atPath: layout.blobPath(descriptor.digest))
        return (attributes?[.size] as? NSNumber)?.int64Value == descriptor.size
    }

    public func putBlob(_ descriptor: Descriptor, chunks: ByteChunks) async throws {
        let final = layout.blobPath(descriptor.digest)
        let directory = (final as NSString).deletingLastPathComponent
        let temporary = "\(directory)/.tmp-\(descriptor.digest.hex)-\(UUID().uuidString)"
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            guard FileManager.default.createFile(atPath: temporary, contents: nil),
                  let handle = FileHandle(forWritingAtPath: temporary)
            else { throw LayoutError.writeFailed(temporary, "cannot create") }
            defer { try? handle.close() }
            for try await chunk in chunks {
                try FileChunks.write(chunk, to: handle.fileDescriptor, path: temporary)
            }
            try handle.synchronize()
            try? FileManager.default.removeItem(atPath: final)
            try FileManager.default.moveItem(atPath: temporary, toPath: final)
        } catch {
            try? FileManager.default.removeItem(atPath: temporary)
            throw error
        }
    }

    public func putManifest(_ manifest: Manifest, tag: String?) async throws {
        let path = layout.blobPath(manifest.digest)
        do {
            try Data(manifest.bytes).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw LayoutError.writeFailed(path, error.localizedDescription)
        }
        if let tag {
            lock.withLock { taggedManifests.append((manifest, tag)) }
        }
    }

    /// Adds the tagged manifests to `index.json`, replacing earlier images with the same tag.
    public func commit() async throws {
        let pending = lock.withLock { taggedManifests }
        guard !pending.isEmpty else { return }
        var index = try layout.readIndex(allowMissing: true)
        for (manifest, tag) in pending {
            index.manifests.removeAll { $0.annotations?[OCILayout.refNameAnnotation] == tag }
            index.manifests.append(manifest.descriptor(annotations: [OCILayout.refNameAnnotation: tag]))
        }
        index.mediaType = MediaType.ociIndex
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        do {
            try encoder.encode(index).write(to: URL(fileURLWithPath: layout.indexPath), options: .atomic)
        } catch {
            throw LayoutError.writeFailed(layout.indexPath, error.localizedDescription)
        }
    }
}
