import Foundation
import Layout
import OCI
import Recipe
import Registry

/// The base an image is built on, fetched: its image manifest for the build's platform and
/// its config's bytes (small; layers are fetched only when a step needs the filesystem).
public struct FetchedBase: Sendable {
    /// Where base blobs come from; nil for `scratch`.
    public var source: (any ImageSource)?
    /// The base as it is named in `org.opencontainers.image.base.name`; nil for `scratch`.
    public var name: String?
    /// The registry repository of a registry base (blobs can be mounted from it).
    public var reference: ImageReference?
    /// The platform's image manifest; nil for `scratch`.
    public var manifest: Manifest?
    public var image: ImageManifest?
    public var configBytes: [UInt8]?

    public var layers: [Descriptor] { image?.layers ?? [] }

    /// Whether the base uses Docker schema 2 media types.
    public var isDocker: Bool { manifest?.mediaType == MediaType.dockerManifest }

    public static let scratch = FetchedBase(source: nil, name: nil, reference: nil, manifest: nil, image: nil, configBytes: nil)
}

/// Fetches a resolved base: the root manifest, the platform's manifest from an index, and the
/// config, verifying each against its digest.
struct BaseImageFetcher: Sendable {
    let registry: RegistryClient?
    let platform: Platform

    func fetch(_ base: ResolvedBase) async throws -> FetchedBase {
        switch base {
        case .scratch:
            return .scratch
        case .registry(let reference, _):
            guard let registry else {
                throw BuildError.unusableBase(base: reference.description, reason: "no registry client was given to the builder")
            }
            let source = RegistryImageSource(reference: reference, client: registry)
            return try await fetch(from: source, name: reference.description, reference: reference)
        case .ociLayout(let layout):
            let source = OCILayoutSource(path: layout.directory.absolute, tag: layout.tag)
            return try await fetch(from: source, name: layout.description, reference: nil)
        }
    }

    func fetch(from source: any ImageSource, name: String, reference: ImageReference?) async throws -> FetchedBase {
        var manifest = try await source.rootManifest()
        if case .index(let index) = try manifest.content() {
            guard let chosen = index.manifests.first(where: { $0.platform?.satisfies(platform) == true }) else {
                throw BuildError.platformNotInBase(
                    base: name, wanted: platform, available: index.manifests.compactMap { $0.platform?.description })
            }
            manifest = try await source.manifest(chosen)
        }
        guard case .image(let image) = try manifest.content() else {
            throw BuildError.unusableBase(base: name, reason: "its index lists another index")
        }
        let configBytes = try await Self.collect(source, image.config, limit: 32 << 20)
        let probe = try? JSONDecoder().decode(PlatformProbe.self, from: Data(configBytes))
        if let probe, let os = probe.os, let architecture = probe.architecture {
            let actual = Platform(os: os, architecture: architecture, variant: probe.variant)
            guard actual.satisfies(platform) || (platform.variant == nil && actual.os == platform.os && actual.architecture == platform.architecture) else {
                throw BuildError.platformMismatch(base: name, wanted: platform, actual: actual)
            }
        }
        return FetchedBase(
            source: source, name: name, reference: reference, manifest: manifest, image: image, configBytes: configBytes)
    }

    /// A small blob (a config) in memory, verified.
    static func collect(_ source: any ImageSource, _ descriptor: Descriptor, limit: Int64) async throws -> [UInt8] {
        guard descriptor.size <= limit else {
            throw BuildError.unusableBase(base: descriptor.digest.description, reason: "its config is \(descriptor.size) bytes, more than \(limit)")
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(Int(descriptor.size))
        for try await chunk in VerifyingChunks.wrap(try await source.blob(descriptor), expecting: descriptor) {
            bytes.append(contentsOf: chunk.readableBytesView)
        }
        return bytes
    }

    private struct PlatformProbe: Decodable {
        var os: String?
        var architecture: String?
        var variant: String?
    }
}
