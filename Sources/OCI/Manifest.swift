import Foundation

/// A manifest as stored: its exact bytes, media type and digest. Copies move these bytes
/// unchanged, so a copied manifest keeps its digest.
public struct Manifest: Hashable, Sendable {
    public let bytes: [UInt8]
    public let mediaType: String
    public let digest: Digest

    public enum Content: Sendable {
        case image(ImageManifest)
        case index(ImageIndex)
    }

    /// Wraps manifest bytes; the media type comes from `mediaType` when the transport gave one
    /// (a `Content-Type` header, a descriptor), else from the document itself.
    public init(bytes: [UInt8], mediaType declared: String? = nil) throws(ManifestError) {
        self.bytes = bytes
        self.digest = DigestHasher.digest(of: bytes)
        let probe: MediaTypeProbe
        do {
            probe = try JSONDecoder().decode(MediaTypeProbe.self, from: Data(bytes))
        } catch {
            throw ManifestError.notJSON(String(describing: error))
        }
        if let declared, MediaType.isManifest(declared) {
            mediaType = declared
        } else if let inDocument = probe.mediaType {
            mediaType = inDocument
        } else if probe.manifests != nil {
            mediaType = MediaType.ociIndex
        } else if probe.config != nil {
            mediaType = MediaType.ociManifest
        } else if probe.schemaVersion == 1 {
            mediaType = MediaType.dockerSchema1
        } else {
            mediaType = declared ?? "application/octet-stream"
        }
        guard MediaType.isManifest(mediaType) else {
            throw ManifestError.unsupportedMediaType(mediaType)
        }
    }

    /// Encodes a manifest that smimg writes itself (sorted keys, so output is reproducible).
    public init(encoding manifest: ImageManifest) throws {
        try self.init(bytes: Array(Self.encoder.encode(manifest)), mediaType: manifest.mediaType ?? MediaType.ociManifest)
    }

    public init(encoding index: ImageIndex) throws {
        try self.init(bytes: Array(Self.encoder.encode(index)), mediaType: index.mediaType ?? MediaType.ociIndex)
    }

    /// Checks the bytes against the digest they were asked for or announced with.
    public func verify(against expected: Digest) throws(ManifestError) {
        let actual = expected.algorithm == digest.algorithm
            ? digest : DigestHasher.digest(of: bytes, algorithm: expected.algorithm)
        guard actual == expected else { throw ManifestError.digestMismatch(expected: expected, actual: actual) }
    }

    public var isIndex: Bool { MediaType.isIndex(mediaType) }

    public func content() throws(ManifestError) -> Content {
        do {
            if isIndex {
                return .index(try JSONDecoder().decode(ImageIndex.self, from: Data(bytes)))
            }
            return .image(try JSONDecoder().decode(ImageManifest.self, from: Data(bytes)))
        } catch {
            throw ManifestError.invalid(mediaType, String(describing: error))
        }
    }

    /// A descriptor for this manifest, as an index lists it.
    public func descriptor(platform: Platform? = nil, annotations: [String: String]? = nil) -> Descriptor {
        Descriptor(mediaType: mediaType, digest: digest, size: Int64(bytes.count),
                   annotations: annotations, platform: platform)
    }

    static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    private struct MediaTypeProbe: Decodable {
        var schemaVersion: Int?
        var mediaType: String?
        var manifests: [AnyDecodable]?
        var config: AnyDecodable?
    }

    private struct AnyDecodable: Decodable {
        init(from decoder: any Decoder) throws {}
    }
}

public enum ManifestError: Error, Equatable, CustomStringConvertible {
    case notJSON(String)
    case invalid(String, String)
    case unsupportedMediaType(String)
    case digestMismatch(expected: Digest, actual: Digest)

    public var description: String {
        switch self {
        case .notJSON(let detail):
            return "manifest is not valid JSON: \(detail)"
        case .invalid(let type, let detail):
            return "manifest of type \(type) does not parse: \(detail)"
        case .unsupportedMediaType(let type) where type.hasPrefix("application/vnd.docker.distribution.manifest.v1"):
            return "Docker schema 1 manifests (\(type)) are deprecated and not supported; re-push the image with a current client"
        case .unsupportedMediaType(let type):
            return "unsupported manifest media type '\(type)': expected an OCI or Docker schema 2 manifest or index"
        case .digestMismatch(let expected, let actual):
            return "manifest digest mismatch: expected \(expected), content hashes to \(actual); the source is corrupt or was changed in transit"
        }
    }
}
