import Foundation
import Layout
import NIOCore
import OCI

/// A built image as an `ImageSource`, so that the copy engine writes it anywhere: the manifest
/// and config from memory, new layers from the content store, base layers from the store when a
/// step needed them (else straight from the base). A registry base reports its repository, so a
/// push to the same registry mounts the base layers instead of sending them.
public struct BuiltImageSource: ImageSource {
    public let manifest: Manifest
    public let config: Descriptor
    public let configBytes: [UInt8]
    public let store: ContentStore
    let base: (any ImageSource)?
    let baseRepository: ImageReference?
    let recipeFile: String

    init(
        manifest: Manifest, config: Descriptor, configBytes: [UInt8], store: ContentStore, base: (any ImageSource)?,
        baseRepository: ImageReference?, recipeFile: String
    ) {
        self.manifest = manifest
        self.config = config
        self.configBytes = configBytes
        self.store = store
        self.base = base
        self.baseRepository = baseRepository
        self.recipeFile = recipeFile
    }

    public var displayName: String { "build of \(recipeFile)" }

    public var registryRepository: ImageReference? { baseRepository }

    public func rootManifest() async throws -> Manifest { manifest }

    public func manifest(_ descriptor: Descriptor) async throws -> Manifest {
        guard descriptor.digest == manifest.digest else {
            throw BuildError.noSuchFile(path: "manifest \(descriptor.digest)")
        }
        return manifest
    }

    public func blob(_ descriptor: Descriptor) async throws -> ByteChunks {
        if descriptor.digest == config.digest {
            let bytes = configBytes
            return ByteChunks { continuation in
                var buffer = ByteBufferAllocator().buffer(capacity: bytes.count)
                buffer.writeBytes(bytes)
                continuation.yield(buffer)
                continuation.finish()
            }
        }
        if store.hasBlob(descriptor) {
            return try FileChunks.read(path: store.blobPath(descriptor.digest))
        }
        guard let base else { throw BuildError.missingLayer(descriptor.digest) }
        return try await base.blob(descriptor)
    }
}
