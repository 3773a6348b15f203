import OCI

/// An image in a registry, read through the v2 API.
public struct RegistryImageSource: ImageSource {
    public let reference: ImageReference
    let client: RegistryClient

    public init(reference: ImageReference, client: RegistryClient) {
        self.reference = reference
        self.client = client
    }

    public var displayName: String { "docker://\(reference)" }
    public var registryRepository: ImageReference? { reference }

    public func rootManifest() async throws -> Manifest {
        try await client.manifest(reference)
    }

    public func manifest(_ descriptor: Descriptor) async throws -> Manifest {
        let manifest = try await client.manifest(reference.with(digest: descriptor.digest))
        try manifest.verify(against: descriptor.digest)
        return manifest
    }

    public func blob(_ descriptor: Descriptor) async throws -> ByteChunks {
        try await client.blob(reference, descriptor: descriptor)
    }
}
