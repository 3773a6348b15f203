import Foundation
import NIOCore
import OCI

/// Reads what `smimg inspect` shows: the manifest, the image config, and a summary.
public struct ImageInspector: Sendable {
    public let source: any ImageSource
    /// Configs are small; anything larger than this is refused rather than read into memory.
    static let configLimit = 16 << 20

    public init(source: any ImageSource) {
        self.source = source
    }

    public struct Summary: Codable, Sendable {
        public var name: String
        public var digest: String
        public var mediaType: String
        public var platforms: [String]?
        public var os: String?
        public var architecture: String?
        public var variant: String?
        public var created: String?
        public var layers: [String]?
        public var layersSize: Int64?
        public var env: [String]?
        public var entrypoint: [String]?
        public var cmd: [String]?
        public var workingDir: String?
        public var user: String?
        public var labels: [String: String]?
    }

    /// The manifest the source names, or with `platform` the matching child of an index.
    public func manifest(platform: Platform?) async throws -> Manifest {
        let root = try await source.rootManifest()
        guard let platform, case .index(let index) = try root.content() else { return root }
        guard let chosen = index.manifests.first(where: { $0.platform?.satisfies(platform) == true }) else {
            throw CopyError.platformNotFound(wanted: platform, available: index.manifests.compactMap { $0.platform?.description })
        }
        return try await source.manifest(chosen)
    }

    /// The config blob's exact bytes, verified. For an index, `platform` (or the host's) picks the image.
    public func configBytes(platform: Platform?) async throws -> [UInt8] {
        var manifest = try await self.manifest(platform: platform)
        if manifest.isIndex { manifest = try await self.manifest(platform: platform ?? .host) }
        guard case .image(let image) = try manifest.content() else { throw CopyError.nestedIndex(manifest.digest) }
        return try await readSmallBlob(image.config)
    }

    public func summary(platform: Platform?) async throws -> Summary {
        let manifest = try await self.manifest(platform: platform)
        var summary = Summary(name: source.displayName, digest: manifest.digest.description, mediaType: manifest.mediaType)
        switch try manifest.content() {
        case .index(let index):
            summary.platforms = index.manifests.compactMap { $0.platform?.description }
        case .image(let image):
            summary.layers = image.layers.map(\.digest.description)
            summary.layersSize = image.layers.reduce(0) { $0 + $1.size }
            let bytes = try await readSmallBlob(image.config)
            if let config = try? JSONDecoder().decode(ImageConfiguration.self, from: Data(bytes)) {
                summary.os = config.os
                summary.architecture = config.architecture
                summary.variant = config.variant
                summary.created = config.created
                summary.env = config.config?.Env
                summary.entrypoint = config.config?.Entrypoint
                summary.cmd = config.config?.Cmd
                summary.workingDir = config.config?.WorkingDir
                summary.user = config.config?.User
                summary.labels = config.config?.Labels
            }
        }
        return summary
    }

    private func readSmallBlob(_ descriptor: Descriptor) async throws -> [UInt8] {
        guard descriptor.size <= Self.configLimit else {
            throw InspectError.configTooLarge(descriptor.digest, descriptor.size)
        }
        var bytes: [UInt8] = []
        for try await chunk in VerifyingChunks.wrap(try await source.blob(descriptor), expecting: descriptor) {
            bytes.append(contentsOf: chunk.readableBytesView)
        }
        return bytes
    }
}

public enum InspectError: Error, CustomStringConvertible {
    case configTooLarge(Digest, Int64)

    public var description: String {
        switch self {
        case .configTooLarge(let digest, let size):
            return "config blob \(digest) is \(size) bytes, larger than any image config should be"
        }
    }
}
