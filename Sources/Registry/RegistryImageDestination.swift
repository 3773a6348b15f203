import OCI

/// A registry repository to write an image into.
public struct RegistryImageDestination: ImageDestination {
    public let reference: ImageReference
    let client: RegistryClient

    public init(reference: ImageReference, client: RegistryClient) {
        self.reference = reference
        self.client = client
    }

    public var displayName: String { "docker://\(reference)" }

    /// The tag to write; a digest-only reference writes by digest.
    public var tag: String? {
        if let tag = reference.tag { return tag }
        return reference.digest == nil ? "latest" : nil
    }

    public func hasBlob(_ descriptor: Descriptor) async throws -> Bool {
        try await client.blobExists(reference, digest: descriptor.digest)
    }

    public func mountBlob(_ descriptor: Descriptor, from source: ImageReference) async throws -> Bool {
        guard source.registry == reference.registry, source.repository != reference.repository else { return false }
        return try await client.mountBlob(reference, digest: descriptor.digest, from: source.repository)
    }

    public func putBlob(_ descriptor: Descriptor, chunks: ByteChunks) async throws {
        try await client.uploadBlob(reference, descriptor: descriptor, chunks: chunks)
    }

    public func putManifest(_ manifest: Manifest, tag: String?) async throws {
        try await client.putManifest(manifest, repository: reference, tag: tag)
    }
}
