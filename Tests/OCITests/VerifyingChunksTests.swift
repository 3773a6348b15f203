import NIOCore
import OCI
import Testing

@Suite("Verifying chunks")
struct VerifyingChunksTests {
    static func stream(_ pieces: [[UInt8]]) -> ByteChunks {
        ByteChunks { continuation in
            for piece in pieces { continuation.yield(ByteBuffer(bytes: piece)) }
            continuation.finish()
        }
    }

    @Test("correct bytes pass through unchanged")
    func passesCorrectBytes() async throws {
        let pieces: [[UInt8]] = [[1, 2, 3], [4, 5], [6]]
        let all = pieces.flatMap { $0 }
        let descriptor = Descriptor(mediaType: "x", digest: DigestHasher.digest(of: all), size: Int64(all.count))
        var received: [UInt8] = []
        for try await chunk in VerifyingChunks.wrap(Self.stream(pieces), expecting: descriptor) {
            received += chunk.readableBytesView
        }
        #expect(received == all)
    }

    @Test("wrong bytes throw before the last chunk is delivered")
    func withholdsLastChunkOnMismatch() async throws {
        let pieces: [[UInt8]] = [[1, 2, 3], [4, 5], [6]]
        let descriptor = Descriptor(mediaType: "x", digest: DigestHasher.digest(of: [1, 2, 3, 4, 5, 7] as [UInt8]), size: 6)
        var received: [UInt8] = []
        await #expect(throws: BlobError.self) {
            for try await chunk in VerifyingChunks.wrap(Self.stream(pieces), expecting: descriptor) {
                received += chunk.readableBytesView
            }
        }
        // A consumer writing what it received never holds the complete (wrong) blob.
        #expect(received.count < 6)
    }

    @Test("more bytes than the descriptor's size fail at once")
    func oversizeFails() async throws {
        let descriptor = Descriptor(mediaType: "x", digest: DigestHasher.digest(of: [1, 2] as [UInt8]), size: 2)
        await #expect(throws: BlobError.sizeMismatch(digest: descriptor.digest, expected: 2, actual: 3)) {
            for try await _ in VerifyingChunks.wrap(Self.stream([[1, 2, 3]]), expecting: descriptor) {}
        }
    }

    @Test("a short stream fails with a size mismatch")
    func shortStreamFails() async throws {
        let descriptor = Descriptor(mediaType: "x", digest: DigestHasher.digest(of: [1, 2, 3] as [UInt8]), size: 3)
        await #expect(throws: BlobError.sizeMismatch(digest: descriptor.digest, expected: 3, actual: 2)) {
            for try await _ in VerifyingChunks.wrap(Self.stream([[1, 2]]), expecting: descriptor) {}
        }
    }
}
