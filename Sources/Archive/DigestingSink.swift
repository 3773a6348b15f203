import OCI

/// Passes bytes through to `downstream` while computing their digest and count.
public final class DigestingSink: ByteSink {
    private let downstream: any ByteSink
    private var hasher: DigestHasher
    /// The digest of everything written, available after `finish()`.
    public private(set) var digest: Digest?

    public init(into downstream: any ByteSink, algorithm: Digest.Algorithm = .sha256) {
        self.downstream = downstream
        self.hasher = DigestHasher(algorithm: algorithm)
    }

    /// Bytes written so far.
    public var byteCount: Int64 { hasher.byteCount }

    public func write(_ bytes: UnsafeRawBufferPointer) throws {
        hasher.update(bytes)
        try downstream.write(bytes)
    }

    public func finish() throws {
        digest = hasher.finalize()
        try downstream.finish()
    }

    public func abort() { downstream.abort() }
}
