import Foundation
import OCI

/// Paths and the index of an OCI image layout directory (`oci-layout`, `index.json`,
/// `blobs/<alg>/<hex>`).
public struct OCILayout: Sendable {
    public static let refNameAnnotation = "org.opencontainers.image.ref.name"
    public let path: String

    public init(path: String) {
        self.path = path
    }

    public func blobPath(_ digest: Digest) -> String {
        "\(path)/blobs/\(digest.algorithm.rawValue)/\(digest.hex)"
    }

    var indexPath: String { "\(path)/index.json" }
    var layoutFilePath: String { "\(path)/oci-layout" }

    /// Reads `index.json`; an absent file is an empty index when `allowMissing`.
    func readIndex(allowMissing: Bool) throws -> ImageIndex {
        guard let data = FileManager.default.contents(atPath: indexPath) else {
            if allowMissing { return ImageIndex(manifests: []) }
            throw LayoutError.notALayout(path, "index.json is missing")
        }
        do {
            return try JSONDecoder().decode(ImageIndex.self, from: data)
        } catch {
            throw LayoutError.notALayout(path, "index.json does not parse (\(error))")
        }
    }

    /// The tags (`ref.name` annotations) the index lists.
    func tags(in index: ImageIndex) -> [String] {
        index.manifests.compactMap { $0.annotations?[Self.refNameAnnotation] }
    }

    func readManifest(_ descriptor: Descriptor) throws -> Manifest {
        guard let data = FileManager.default.contents(atPath: blobPath(descriptor.digest)) else {
            throw LayoutError.missingBlob(layout: path, digest: descriptor.digest)
        }
        let manifest = try Manifest(bytes: Array(data), mediaType: descriptor.mediaType)
        try manifest.verify(against: descriptor.digest)
        return manifest
    }
}
