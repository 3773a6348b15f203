import AsyncHTTPClient
import NIOCore
import OCI

/// A blob download that survives lost connections: it asks again from the last byte received
/// (`Range: bytes=N-`), and copes with servers that ignore the range by skipping what it has.
/// Single consumer: `next()` is called sequentially, which makes the unchecked sendability sound.
final class ResumableDownload: @unchecked Sendable {
    private let client: RegistryClient
    private let repository: ImageReference
    private let descriptor: Descriptor
    private var iterator: HTTPClientResponse.Body.AsyncIterator?
    private var offset: Int64 = 0
    /// Bytes of a restarted (non-range) response still to drop.
    private var skip: Int64 = 0
    private var resumes = 0
    static let maxResumes = 5

    init(client: RegistryClient, repository: ImageReference, descriptor: Descriptor) {
        self.client = client
        self.repository = repository
        self.descriptor = descriptor
    }

    func open() async throws {
        let response = try await client.openBlob(repository, digest: descriptor.digest, from: offset)
        if offset > 0 {
            if response.status == 206 {
                let range = response.header("Content-Range") ?? ""
                guard range.hasPrefix("bytes \(offset)-") else {
                    throw RegistryError.protocolViolation(
                        registry: repository.registry, detail: "asked for bytes from \(offset), got range '\(range)'")
                }
            } else {
                skip = offset
            }
        }
        iterator = response.response.body.makeAsyncIterator()
    }

    func next() async throws -> ByteBuffer? {
        while true {
            if iterator == nil { try await open() }
            do {
                guard var chunk = try await iterator?.next() else {
                    // A body that ends early without an error is resumed like a lost connection.
                    guard offset < descriptor.size else { return nil }
                    try await prepareResume(reason: "the body ended after \(offset) of \(descriptor.size) bytes")
                    continue
                }
                if skip > 0 {
                    let dropped = min(Int64(chunk.readableBytes), skip)
                    chunk.moveReaderIndex(forwardBy: Int(dropped))
                    skip -= dropped
                    if chunk.readableBytes == 0 { continue }
                }
                offset += Int64(chunk.readableBytes)
                return chunk
            } catch let error as RegistryError {
                throw error
            } catch {
                try await prepareResume(reason: TransportFailure.describe(error))
            }
        }
    }

    private func prepareResume(reason: String) async throws {
        iterator = nil
        resumes += 1
        guard resumes <= Self.maxResumes else {
            throw RegistryError.cannotConnect(
                registry: repository.registry,
                detail: "download of \(descriptor.digest) kept failing (\(reason)); gave up after \(Self.maxResumes) resumes")
        }
        client.transport.logger.info("resuming download of \(descriptor.digest.short) at byte \(offset): \(reason)")
        try await Task.sleep(for: RetryPolicy().delay(afterAttempt: resumes))
    }
}
