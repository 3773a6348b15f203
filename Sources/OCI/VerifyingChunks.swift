import NIOCore

/// Passes a blob's bytes through while hashing and counting them, and throws instead of
/// delivering the last chunk when the bytes do not match the descriptor. A consumer that
/// writes what it receives therefore never completes a blob with wrong content.
public enum VerifyingChunks {
    /// Wraps `upstream`. `progress` is called with the byte count of each chunk as it passes.
    public static func wrap(
        _ upstream: ByteChunks,
        expecting descriptor: Descriptor,
        progress: (@Sendable (Int) -> Void)? = nil
    ) -> ByteChunks {
        let state = VerificationState(upstream: upstream, descriptor: descriptor, progress: progress)
        return ByteChunks(unfolding: { try await state.next() })
    }
}

/// The mutable state behind one verifying stream. The stream has a single consumer, which
/// calls `next()` sequentially, so the unchecked sendability is sound.
final class VerificationState: @unchecked Sendable {
    private var iterator: ByteChunks.AsyncIterator
    private var hasher: DigestHasher
    private var heldBack: ByteBuffer?
    private var finished = false
    private let descriptor: Descriptor
    private let progress: (@Sendable (Int) -> Void)?

    init(upstream: ByteChunks, descriptor: Descriptor, progress: (@Sendable (Int) -> Void)?) {
        self.iterator = upstream.makeAsyncIterator()
        self.hasher = DigestHasher(algorithm: descriptor.digest.algorithm)
        self.descriptor = descriptor
        self.progress = progress
    }

    func next() async throws -> ByteBuffer? {
        guard !finished else { return nil }
        while true {
            guard let chunk = try await iterator.next() else {
                finished = true
                try check()
                return heldBack.take()
            }
            guard chunk.readableBytes > 0 else { continue }
            hasher.update(chunk)
            progress?(chunk.readableBytes)
            if hasher.byteCount > descriptor.size {
                finished = true
                throw BlobError.sizeMismatch(digest: descriptor.digest, expected: descriptor.size, actual: hasher.byteCount)
            }
            if let previous = heldBack {
                heldBack = chunk
                return previous
            }
            heldBack = chunk
        }
    }

    private func check() throws {
        guard hasher.byteCount == descriptor.size else {
            throw BlobError.sizeMismatch(digest: descriptor.digest, expected: descriptor.size, actual: hasher.byteCount)
        }
        let actual = hasher.finalize()
        guard actual == descriptor.digest else {
            throw BlobError.digestMismatch(expected: descriptor.digest, actual: actual)
        }
    }
}

extension Optional {
    fileprivate mutating func take() -> Wrapped? {
        defer { self = nil }
        return self
    }
}

public enum BlobError: Error, Equatable, CustomStringConvertible {
    case digestMismatch(expected: Digest, actual: Digest)
    case sizeMismatch(digest: Digest, expected: Int64, actual: Int64)

    public var description: String {
        switch self {
        case .digestMismatch(let expected, let actual):
            return "blob digest mismatch: expected \(expected), the bytes received hash to \(actual); the source is corrupt or the transfer was altered, nothing was written"
        case .sizeMismatch(let digest, let expected, let actual):
            return "blob \(digest) size mismatch: the descriptor says \(expected) bytes, \(actual) were received; nothing was written"
        }
    }
}
