import OCI

/// How a layer's tar stream is compressed.
public enum Compression: Sendable, Hashable, CustomStringConvertible {
    /// The tar stream as is (`application/vnd.oci.image.layer.v1.tar`).
    case none
    /// gzip through ISA-L, level 0–3, compressed on all cores (`ParallelGzipCompressor`).
    case gzip(level: Int = GzipCompressor.defaultLevel)
    /// zstd through libzstd.
    case zstd(level: Int = ZstdCompressor.defaultLevel)

    /// The OCI layer media type for this compression.
    public var layerMediaType: String {
        switch self {
        case .none: return MediaType.ociLayer
        case .gzip: return MediaType.ociLayerGzip
        case .zstd: return MediaType.ociLayerZstd
        }
    }

    /// A sink that compresses what it receives into `downstream` (`downstream` itself for `.none`).
    public func makeCompressor(into downstream: any ByteSink) throws -> any ByteSink {
        switch self {
        case .none: return downstream
        case .gzip(let level): return try ParallelGzipCompressor(level: level, into: downstream)
        case .zstd(let level): return try ZstdCompressor(level: level, into: downstream)
        }
    }

    /// Whether the compressor runs on its own threads already (no extra pipeline stage needed).
    public var compressesInParallel: Bool {
        if case .gzip = self { return true }
        return false
    }

    public var description: String {
        switch self {
        case .none: return "none"
        case .gzip(let level): return "gzip (level \(level))"
        case .zstd(let level): return "zstd (level \(level))"
        }
    }
}
