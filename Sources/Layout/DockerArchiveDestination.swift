import Archive
import Foundation
import NIOCore
import OCI

/// Writes one image as a tarball that `docker load` reads, in the layout Docker 25 writes with
/// `docker save`: `manifest.json` naming the config and layers under `blobs/sha256/`, plus
/// `oci-layout` and `index.json`, so the same file is also an OCI image layout archive.
///
/// The archive is written to a temporary file beside the target and renamed by `commit()`:
/// a failed copy leaves no partial archive under the target name.
public final class DockerArchiveDestination: ImageDestination, @unchecked Sendable {
    public let path: String
    /// `name:tag` recorded in `RepoTags` (what `docker load` tags the image as).
    public let repoTag: String?
    private let temporaryPath: String
    private let writer: TarWriter
    private let lock = NSLock()
    private var written: Set<Digest> = []
    private var imageManifest: (Manifest, ImageManifest)?
    private var failed = false

    public init(path: String, reference: ImageReference?) throws {
        self.path = path
        if let reference {
            let shortName = reference.registry == ImageReference.dockerHub && reference.repository.hasPrefix("library/")
                ? String(reference.repository.dropFirst("library/".count))
                : (reference.registry == ImageReference.dockerHub ? reference.repository : reference.name)
            repoTag = "\(shortName):\(reference.tag ?? "latest")"
        } else {
            repoTag = nil
        }
        temporaryPath = "\(path).tmp-\(UUID().uuidString.prefix(8))"
        do {
            writer = try TarWriter(sink: try FileSink(path: temporaryPath))
            try writer.writeEntry(.directory("blobs", mode: 0o755))
            try writer.writeEntry(.directory("blobs/sha256", mode: 0o755))
        } catch {
            try? FileManager.default.removeItem(atPath: temporaryPath)
            throw LayoutError.writeFailed(path, String(describing: error))
        }
    }

    public var displayName: String { "docker-archive:\(path)" + (repoTag.map { ":\($0)" } ?? "") }
    public var tag: String? { "latest" }
    public var maxConcurrentBlobWrites: Int { 1 }
    public var supportsIndex: Bool { false }

    public func hasBlob(_ descriptor: Descriptor) async throws -> Bool {
        lock.withLock { written.contains(descriptor.digest) }
    }

    public func putBlob(_ descriptor: Descriptor, chunks: ByteChunks) async throws {
        try checkUsable()
        do {
            try writer.writeEntry(.file(Self.blobPath(descriptor.digest), size: descriptor.size, mode: 0o644))
            for try await chunk in chunks {
                try writer.writeData(chunk)
            }
            lock.withLock { _ = written.insert(descriptor.digest) }
        } catch {
            // The tar stream now holds a partial entry: the archive cannot be completed.
            lock.withLock { failed = true }
            throw error
        }
    }

    public func putManifest(_ manifest: Manifest, tag: String?) async throws {
        try checkUsable()
        guard case .image(let image) = try manifest.content() else {
            throw LayoutError.unsupported("a docker-archive holds one image, not an index: choose one with --platform")
        }
        try writeSmallFile(Self.blobPath(manifest.digest), manifest.bytes)
        lock.withLock { imageManifest = (manifest, image) }
    }

    public func commit() async throws {
        try checkUsable()
        guard let (manifest, image) = lock.withLock({ imageManifest }) else {
            throw LayoutError.unsupported("no image was written to the docker-archive")
        }
        struct Entry: Encodable {
            var Config: String
            var RepoTags: [String]
            var Layers: [String]
        }
        let entry = Entry(
            Config: Self.blobPath(image.config.digest), RepoTags: repoTag.map { [$0] } ?? [],
            Layers: image.layers.map { Self.blobPath($0.digest) })
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var annotations: [String: String] = [:]
        if let repoTag { annotations["io.containerd.image.name"] = repoTag; annotations[OCILayout.refNameAnnotation] = repoTag.split(separator: ":").last.map(String.init) }
        let index = ImageIndex(manifests: [manifest.descriptor(annotations: annotations.isEmpty ? nil : annotations)])
        do {
            try writeSmallFile("manifest.json", Array(try encoder.encode([entry])))
            try writeSmallFile("oci-layout", Array(#"{"imageLayoutVersion":"1.0.0"}"#.utf8))
            try writeSmallFile("index.json", Array(try encoder.encode(index)))
            try writer.finish()
            try? FileManager.default.removeItem(atPath: path)
            try FileManager.default.moveItem(atPath: temporaryPath, toPath: path)
        } catch {
            removePartialArchive()
            throw LayoutError.writeFailed(path, String(describing: error))
        }
    }

    /// Removes the partial archive; called when the copy fails.
    public func discard() async {
        removePartialArchive()
    }

    private func removePartialArchive() {
        lock.withLock { failed = true }
        writer.abort()
        try? FileManager.default.removeItem(atPath: temporaryPath)
    }

    deinit {
        if FileManager.default.fileExists(atPath: temporaryPath) {
            writer.abort()
            try? FileManager.default.removeItem(atPath: temporaryPath)
        }
    }

    private func writeSmallFile(_ name: String, _ bytes: [UInt8]) throws {
        try writer.writeEntry(.file(name, size: Int64(bytes.count), mode: 0o644))
        try writer.writeData(bytes)
    }

    private func checkUsable() throws {
        if lock.withLock({ failed }) {
            throw LayoutError.unsupported("the docker-archive \(path) could not be completed after an earlier error; run the copy again")
        }
    }

    static func blobPath(_ digest: Digest) -> String { "blobs/\(digest.algorithm.rawValue)/\(digest.hex)" }
}
