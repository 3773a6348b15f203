import Foundation
import OCI

/// Writes an OCI layout holding one image of random layers, fast, without tar or compression:
/// registries and copies treat layers as opaque blobs, so this is enough to test transfers of
/// any size.
public enum SyntheticImage {
    /// Creates `path` with an image tagged `tag` whose layers have the given sizes.
    /// Returns the manifest digest.
    @discardableResult
    public static func writeLayout(at path: String, tag: String, layerSizes: [Int]) throws -> String {
        let blobs = "\(path)/blobs/sha256"
        try FileManager.default.createDirectory(atPath: blobs, withIntermediateDirectories: true)
        try Data(#"{"imageLayoutVersion":"1.0.0"}"#.utf8).write(to: URL(fileURLWithPath: "\(path)/oci-layout"))
        guard let random = FileHandle(forReadingAtPath: "/dev/urandom") else { throw HarnessError.missing("/dev/urandom") }
        defer { try? random.close() }
        var layers: [Descriptor] = []
        for size in layerSizes {
            let temporary = "\(blobs)/.tmp-\(UUID().uuidString)"
            _ = FileManager.default.createFile(atPath: temporary, contents: nil)
            let out = try FileHandle(forWritingTo: URL(fileURLWithPath: temporary))
            var hasher = DigestHasher()
            var remaining = size
            while remaining > 0 {
                let chunk = random.readData(ofLength: min(remaining, 1 << 20))
                hasher.update(chunk)
                out.write(chunk)
                remaining -= chunk.count
            }
            try out.close()
            let digest = hasher.finalize()
            try? FileManager.default.removeItem(atPath: "\(blobs)/\(digest.hex)")
            try FileManager.default.moveItem(atPath: temporary, toPath: "\(blobs)/\(digest.hex)")
            layers.append(Descriptor(mediaType: MediaType.ociLayer, digest: digest, size: Int64(size)))
        }
        var configuration = ImageConfiguration(platform: Platform(os: "linux", architecture: "amd64"),
                                               rootfs: .init(diffIDs: layers.map(\.digest)))
        configuration.config = .init()
        configuration.config?.Cmd = ["/bin/true"]
        let configBytes = try JSONEncoder().encode(configuration)
        let configDigest = DigestHasher.digest(of: configBytes)
        try configBytes.write(to: URL(fileURLWithPath: "\(blobs)/\(configDigest.hex)"))
        let manifest = try Manifest(encoding: ImageManifest(
            config: Descriptor(mediaType: MediaType.ociConfig, digest: configDigest, size: Int64(configBytes.count)),
            layers: layers))
        try Data(manifest.bytes).write(to: URL(fileURLWithPath: "\(blobs)/\(manifest.digest.hex)"))
        let index = ImageIndex(manifests: [manifest.descriptor(annotations: ["org.opencontainers.image.ref.name": tag])])
        try JSONEncoder().encode(index).write(to: URL(fileURLWithPath: "\(path)/index.json"))
        return manifest.digest.description
    }
}
