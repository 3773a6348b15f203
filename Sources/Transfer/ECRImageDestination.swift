import AWS
import AsyncHTTPClient
import Foundation
import Logging
import OCI

/// An ECR repository as a destination: the registry destination it wraps does the writing,
/// and which blobs are already there is asked of the ECR API in bulk
/// (``ECRLayerAvailabilityCheck``: BatchCheckLayerAvailability, 100 digests per call) instead
/// of with one registry HEAD per blob. Blobs of `partThreshold` bytes or more go through ECR's
/// layer-upload actions (``ECRLayerPartUploader``), which resume from the last acknowledged part.
public struct ECRImageDestination: ImageDestination {
    /// The size from which blobs are uploaded in parts, unless told otherwise.
    public static let defaultPartThreshold: Int64 = 64 << 20

    let base: any ImageDestination
    let availability: ECRLayerAvailabilityCheck
    let partUploader: ECRLayerPartUploader?
    let partThreshold: Int64

    public init(
        wrapping base: any ImageDestination, availability: ECRLayerAvailabilityCheck,
        partUploader: ECRLayerPartUploader? = nil, partThreshold: Int64 = Self.defaultPartThreshold
    ) {
        self.base = base
        self.availability = availability
        self.partUploader = partUploader
        self.partThreshold = partThreshold
    }

    /// `destination` wrapped with ECR's bulk check when `location` is a repository on an ECR
    /// host (any partition), signed with `credentials` in the host's region; any other
    /// destination is returned as it is. `environment` selects the ECR endpoint (see
    /// ``ProfileEndpoint``); `partThreshold` nil turns part uploads off; upload state is kept in
    /// `uploadStateDirectory` so that a later run resumes.
    public static func wrappingIfECR(
        _ destination: any ImageDestination, location: ImageLocation, httpClient: HTTPClient,
        credentials: any CredentialsProvider, environment: [String: String] = ProcessInfo.processInfo.environment,
        partThreshold: Int64? = nil, uploadStateDirectory: String? = nil, logger: Logger
    ) throws -> any ImageDestination {
        guard case .registry(let reference) = location, let host = ECRRegistryHost(parsing: reference.registry) else {
            return destination
        }
        let client = try ECRClient(
            httpClient: httpClient, region: host.region, credentials: credentials, environment: environment, logger: logger)
        let availability = ECRLayerAvailabilityCheck(
            api: client, repositoryName: reference.repository, registryId: host.account, logger: logger)
        let uploader = partThreshold.map { _ in
            ECRLayerPartUploader(
                api: client, repositoryName: reference.repository, registryId: host.account,
                stateDirectory: uploadStateDirectory, logger: logger)
        }
        return ECRImageDestination(
            wrapping: destination, availability: availability, partUploader: uploader,
            partThreshold: partThreshold ?? .max)
    }

    public var displayName: String { base.displayName }
    public var maxConcurrentBlobWrites: Int { base.maxConcurrentBlobWrites }
    public var tag: String? { base.tag }
    public var supportsIndex: Bool { base.supportsIndex }

    public func blobPresence(_ descriptors: [Descriptor]) async throws -> [Digest: Bool] {
        try await availability.presence(of: descriptors.map(\.digest))
    }

    public func hasBlob(_ descriptor: Descriptor) async throws -> Bool {
        try await base.hasBlob(descriptor)
    }

    public func mountBlob(_ descriptor: Descriptor, from source: ImageReference) async throws -> Bool {
        try await base.mountBlob(descriptor, from: source)
    }

    public func putBlob(_ descriptor: Descriptor, chunks: ByteChunks) async throws {
        if let partUploader, descriptor.size >= partThreshold {
            try await partUploader.upload(descriptor, chunks: chunks)
            return
        }
        try await base.putBlob(descriptor, chunks: chunks)
    }

    public func putManifest(_ manifest: Manifest, tag: String?) async throws {
        try await base.putManifest(manifest, tag: tag)
    }

    public func commit() async throws {
        try await base.commit()
    }

    public func discard() async {
        await base.discard()
    }
}
