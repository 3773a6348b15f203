import Foundation
import OCI

/// An image in an OCI image layout directory: `oci:DIR[:TAG]`.
public struct OCILayoutSource: ImageSource {
    public let layout: OCILayout
    public let tag: String?

    public init(path: String, tag: String?) {
        layout = OCILayout(path: path)
        self.tag = tag
    }

    public var displayName: String { "oci:\(layout.path)" + (tag.map { ":\($0)" } ?? "") }

    public func rootManifest() async throws -> Manifest {
        let index = try layout.readIndex(allowMissing: false)
        let tags = layout.tags(in: index)
        let descriptor: Descriptor
        if let tag {
            guard let found = index.manifests.last(where: { $0.annotations?[OCILayout.refNameAnnotation] == tag }) else {
                throw LayoutError.tagNotFound(layout: layout.path, tag: tag, available: tags)
            }
            descriptor = found
        } else {
            guard index.manifests.count == 1, let only = index.manifests.first else {
                throw index.manifests.isEmpty
                    ? LayoutError.notALayout(layout.path, "index.json lists no images")
                    : LayoutError.ambiguous(layout: layout.path, available: tags)
            }
            descriptor = only
        }
        return try layout.readManifest(descriptor)
    }

    public func manifest(_ descriptor: Descriptor) async throws -> Manifest {
        try layout.readManifest(descriptor)
    }

    public func blob(_ descriptor: Descriptor) async throws -> ByteChunks {
        let path = layout.blobPath(descriptor.digest)
        guard FileManager.default.fileExists(atPath: path) else {
            throw LayoutError.missingBlob(layout: layout.path, digest: descriptor.digest)
        }
        return try FileChunks.read(path: path)
    }
}
