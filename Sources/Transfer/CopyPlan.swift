import OCI

/// What a copy writes: the root manifest, the child manifests of an index, and every blob
/// they need, each once, in order.
struct CopyPlan {
    var root: Manifest
    var children: [Manifest]
    var blobs: [Descriptor]
    var platforms: [Platform]

    static func make(source: any ImageSource, destination: any ImageDestination, platform: Platform?) async throws -> CopyPlan {
        let root = try await source.rootManifest()
        switch try root.content() {
        case .image(let image):
            return CopyPlan(root: root, children: [], blobs: image.blobs, platforms: [])
        case .index(let index):
            var wanted = platform
            if wanted == nil, !destination.supportsIndex { wanted = Platform.host }
            if let wanted {
                guard let chosen = index.manifests.first(where: { $0.platform?.satisfies(wanted) == true }) else {
                    let available = index.manifests.compactMap { $0.platform?.description }
                    throw CopyError.platformNotFound(wanted: wanted, available: available)
                }
                let manifest = try await source.manifest(chosen)
                guard case .image(let image) = try manifest.content() else {
                    throw CopyError.nestedIndex(manifest.digest)
                }
                return CopyPlan(root: manifest, children: [], blobs: image.blobs, platforms: [wanted])
            }
            var children: [Manifest] = []
            var blobs: [Descriptor] = []
            var seen: Set<Digest> = []
            for descriptor in index.manifests {
                let child = try await source.manifest(descriptor)
                guard case .image(let image) = try child.content() else {
                    throw CopyError.nestedIndex(child.digest)
                }
                children.append(child)
                for blob in image.blobs where seen.insert(blob.digest).inserted {
                    blobs.append(blob)
                }
            }
            return CopyPlan(root: root, children: children, blobs: blobs, platforms: index.manifests.compactMap(\.platform))
        }
    }
}

public enum CopyError: Error, CustomStringConvertible {
    case platformNotFound(wanted: Platform, available: [String])
    case nestedIndex(Digest)

    public var description: String {
        switch self {
        case .platformNotFound(let wanted, let available):
            return "the image has no \(wanted) variant; it has: \(available.isEmpty ? "no platform information" : available.joined(separator: ", "))"
        case .nestedIndex(let digest):
            return "index \(digest) nests another index; nested indexes are not supported"
        }
    }
}
