import AWS
import Foundation
import Logging
import NIOCore
import OCI
import Registry
import Testing
import TestSupport
@testable import Transfer

/// An ECR upload in memory, as the API reference describes it: parts must follow each other,
/// and CompleteLayerUpload checks the digest.
final class FakeLayerUploadAPI: ECRLayerPartUploader.API, @unchecked Sendable {
    private let lock = NSLock()
    private(set) var received: [UInt8] = []
    private(set) var parts: [(first: Int64, last: Int64)] = []
    private(set) var initiated = 0
    private(set) var completed: [String] = []
    /// Fail the part with this index (counting all parts ever sent) with a transport error.
    var failPart: Int?
    let partSize: Int64

    init(partSize: Int64) { self.partSize = partSize }

    func initiateLayerUpload(_ input: ECR.InitiateLayerUploadInput) async throws -> ECR.InitiateLayerUploadOutput {
        lock.withLock { initiated += 1 }
        return try JSONDecoder().decode(
            ECR.InitiateLayerUploadOutput.self, from: Data(#"{"uploadId":"u1","partSize":\#(partSize)}"#.utf8))
    }

    func uploadLayerPart(_ input: ECR.UploadLayerPartInput) async throws -> ECR.UploadLayerPartOutput {
        try lock.withLock {
            if let failPart, parts.count == failPart {
                self.failPart = nil
                throw ECRError.transport(action: "UploadLayerPart", endpoint: "fake", attempts: 1, reason: "connection reset")
            }
            guard input.partFirstByte == Int64(received.count) else {
                throw ECRError.invalidLayerPart(
                    action: "UploadLayerPart", lastValidByteReceived: Int64(received.count) - 1, message: "gap")
            }
            received += Array(input.layerPartBlob)
            parts.append((input.partFirstByte, input.partLastByte))
        }
        return try JSONDecoder().decode(
            ECR.UploadLayerPartOutput.self, from: Data(#"{"lastByteReceived":\#(input.partLastByte)}"#.utf8))
    }

    func completeLayerUpload(_ input: ECR.CompleteLayerUploadInput) async throws -> ECR.CompleteLayerUploadOutput {
        let digest = DigestHasher.digest(of: lock.withLock { received }).description
        guard input.layerDigests == [digest] else {
            throw ECRError.service(action: "CompleteLayerUpload", code: "InvalidLayerException", status: 400, message: "digest")
        }
        lock.withLock { completed.append(digest) }
        return try JSONDecoder().decode(ECR.CompleteLayerUploadOutput.self, from: Data("{}".utf8))
    }
}

@Suite("ECR layer-part uploads")
struct ECRLayerPartUploaderTests {
    static func blob(_ size: Int) -> (Descriptor, [UInt8]) {
        let bytes = (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 2_654_435_761 >> 7) }
        return (Descriptor(mediaType: MediaType.ociLayer, digest: DigestHasher.digest(of: bytes), size: Int64(size)), bytes)
    }

    static func chunks(_ bytes: [UInt8], descriptor: Descriptor, chunk: Int = 300_000) -> ByteChunks {
        let stream = ByteChunks { continuation in
            var offset = 0
            while offset < bytes.count {
                continuation.yield(ByteBuffer(bytes: bytes[offset..<min(offset + chunk, bytes.count)]))
                offset += chunk
            }
            continuation.finish()
        }
        return VerifyingChunks.wrap(stream, expecting: descriptor)
    }

    @Test("a blob goes up in consecutive parts of ECR's size and completes with its digest")
    func uploadsInParts() async throws {
        let directory = try TemporaryDirectory("parts")
        defer { directory.remove() }
        let minimum = Int(ECRLayerPartUploader.minimumPartSize)
        let (descriptor, bytes) = Self.blob(2 * minimum + 12345)
        let api = FakeLayerUploadAPI(partSize: Int64(minimum))
        let uploader = ECRLayerPartUploader(
            api: api, repositoryName: "r", registryId: "1", stateDirectory: directory.path, logger: Logger(label: "t"))
        try await uploader.upload(descriptor, chunks: Self.chunks(bytes, descriptor: descriptor))
        #expect(api.received == bytes)
        #expect(api.parts.map(\.first) == [0, Int64(minimum), Int64(2 * minimum)])
        #expect(api.completed == [descriptor.digest.description])
        // Nothing is left in the state directory once the upload completed.
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).isEmpty)
    }

    @Test("after a failed part, the next attempt resumes at the acknowledged byte, not byte 0")
    func resumesAfterFailure() async throws {
        let directory = try TemporaryDirectory("parts")
        defer { directory.remove() }
        let minimum = Int(ECRLayerPartUploader.minimumPartSize)
        let (descriptor, bytes) = Self.blob(3 * minimum + 7)
        let api = FakeLayerUploadAPI(partSize: Int64(minimum))
        api.failPart = 2
        let uploader = ECRLayerPartUploader(
            api: api, repositoryName: "r", registryId: "1", stateDirectory: directory.path, logger: Logger(label: "t"))
        await #expect(throws: ECRError.self) {
            try await uploader.upload(descriptor, chunks: Self.chunks(bytes, descriptor: descriptor))
        }
        #expect(api.parts.count == 2)
        // A new uploader (as in the next run) finds the saved state and sends only the rest.
        let again = ECRLayerPartUploader(
            api: api, repositoryName: "r", registryId: "1", stateDirectory: directory.path, logger: Logger(label: "t"))
        try await again.upload(descriptor, chunks: Self.chunks(bytes, descriptor: descriptor))
        #expect(api.initiated == 1)
        #expect(api.parts.map(\.first) == [0, Int64(minimum), Int64(2 * minimum), Int64(3 * minimum)])
        #expect(api.received == bytes)
        #expect(api.completed == [descriptor.digest.description])
    }

    @Test("a blob that does not match its digest never gets its last part or a completion")
    func corruptBlobIsNotCompleted() async throws {
        let minimum = Int(ECRLayerPartUploader.minimumPartSize)
        let (descriptor, bytes) = Self.blob(minimum + 100)
        var corrupt = bytes
        corrupt[corrupt.count - 1] ^= 0xFF
        let api = FakeLayerUploadAPI(partSize: Int64(minimum))
        let uploader = ECRLayerPartUploader(api: api, repositoryName: "r", registryId: "1", stateDirectory: nil, logger: Logger(label: "t"))
        await #expect(throws: (any Error).self) {
            try await uploader.upload(descriptor, chunks: Self.chunks(corrupt, descriptor: descriptor))
        }
        #expect(api.completed.isEmpty)
        #expect(api.received.count < corrupt.count)
    }

    @Test("after bytes that did not verify, the saved upload is dropped and the next attempt starts afresh")
    func corruptBlobDropsSavedUpload() async throws {
        let directory = try TemporaryDirectory("parts")
        defer { directory.remove() }
        let minimum = Int(ECRLayerPartUploader.minimumPartSize)
        let (descriptor, bytes) = Self.blob(2 * minimum + 100)
        var corrupt = bytes
        corrupt[10] ^= 0xFF
        let api = FakeLayerUploadAPI(partSize: Int64(minimum))
        let uploader = ECRLayerPartUploader(
            api: api, repositoryName: "r", registryId: "1", stateDirectory: directory.path, logger: Logger(label: "t"))
        await #expect(throws: BlobError.self) {
            try await uploader.upload(descriptor, chunks: Self.chunks(corrupt, descriptor: descriptor))
        }
        #expect(api.parts.count == 1)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).isEmpty)
    }

    @Test("when ECR holds other bytes than saved, the upload goes on from ECR's byte")
    func followsECRsLastValidByte() async throws {
        let directory = try TemporaryDirectory("parts")
        defer { directory.remove() }
        let minimum = Int(ECRLayerPartUploader.minimumPartSize)
        let (descriptor, bytes) = Self.blob(2 * minimum + 1)
        let api = FakeLayerUploadAPI(partSize: Int64(minimum))
        let uploader = ECRLayerPartUploader(
            api: api, repositoryName: "r", registryId: "1", stateDirectory: directory.path, logger: Logger(label: "t"))
        // A state file that claims nothing was acknowledged, while ECR got the first part (a kill
        // between ECR's answer and the save).
        _ = try await api.initiateLayerUpload(.init(repositoryName: "r"))
        _ = try await api.uploadLayerPart(.init(
            repositoryName: "r", uploadId: "u1", partFirstByte: 0, partLastByte: Int64(minimum - 1),
            layerPartBlob: Data(bytes[0..<minimum])))
        let state = ECRLayerPartUploader.UploadState(uploadId: "u1", partSize: Int64(minimum), acknowledged: 0)
        try JSONEncoder().encode(state).write(to: URL(fileURLWithPath: uploader.statePath(for: descriptor)!))
        // Wait: the state says 0, so the first part is offered again; ECR refuses with its last
        // valid byte; the retry (as the copier makes it) goes on from there.
        await #expect(throws: PartUploadInterrupted.self) {
            try await uploader.upload(descriptor, chunks: Self.chunks(bytes, descriptor: descriptor))
        }
        try await uploader.upload(descriptor, chunks: Self.chunks(bytes, descriptor: descriptor))
        #expect(api.received == bytes)
        #expect(api.completed == [descriptor.digest.description])
    }
}
