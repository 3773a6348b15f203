import AWS
import Foundation
import Logging
import NIOCore
import OCI
import Registry

/// Uploads one large blob to an ECR repository through ECR's own layer-upload actions
/// (InitiateLayerUpload, UploadLayerPart with byte ranges, CompleteLayerUpload) instead of the
/// registry's monolithic v2 upload, so that an interrupted upload of a multi-gigabyte layer goes
/// on from its last acknowledged part instead of from byte 0.
///
/// Parts are cut from the stream as it arrives (one part in memory at a time). After each part
/// ECR acknowledges, the upload id and the acknowledged byte count are written to a state file
/// (`<stateDirectory>/<key>.json`), so another attempt, or another run after the process was
/// killed, sends only the bytes after them: the stream is read again from the start and the
/// acknowledged bytes are skipped (a staged blob makes that read local). The stream still
/// verifies every byte, and the last part is only sent once the whole blob has matched its
/// digest. CompleteLayerUpload checks the digest once more on ECR's side.
public struct ECRLayerPartUploader: Sendable {
    /// The ECR calls it makes: ``ECRClient`` in use.
    public protocol API: Sendable {
        func initiateLayerUpload(_ input: ECR.InitiateLayerUploadInput) async throws -> ECR.InitiateLayerUploadOutput
        func uploadLayerPart(_ input: ECR.UploadLayerPartInput) async throws -> ECR.UploadLayerPartOutput
        func completeLayerUpload(_ input: ECR.CompleteLayerUploadInput) async throws -> ECR.CompleteLayerUploadOutput
    }

    /// ECR's smallest part other than the last.
    public static let minimumPartSize: Int64 = 5 << 20
    /// The part size used when ECR suggests none, and the most kept in memory.
    public static let defaultPartSize: Int64 = 20 << 20
    public static let maximumPartSize: Int64 = 64 << 20

    let api: any API
    let repositoryName: String
    let registryId: String?
    /// Where upload state is kept between attempts and runs; nil keeps it for one attempt only.
    let stateDirectory: String?
    let logger: Logger

    public init(api: any API, repositoryName: String, registryId: String?, stateDirectory: String?, logger: Logger) {
        self.api = api
        self.repositoryName = repositoryName
        self.registryId = registryId
        self.stateDirectory = stateDirectory
        self.logger = logger
    }

    /// An upload in progress, as saved between parts.
    struct UploadState: Codable, Equatable {
        var uploadId: String
        var partSize: Int64
        /// Bytes ECR has acknowledged, from the start of the blob.
        var acknowledged: Int64
    }

    /// Uploads the blob. Throws a retryable ``PartUploadInterrupted`` when ECR lost or rejected
    /// the upload's state, after updating what is saved, so that the caller's retry goes on.
    public func upload(_ descriptor: Descriptor, chunks: ByteChunks) async throws {
        var state = try await resumableState(for: descriptor)
        let resumedFrom = state.acknowledged
        if resumedFrom > 0 {
            logger.info("resuming the ECR layer upload of \(descriptor.digest) at byte \(resumedFrom) of \(descriptor.size)")
        }
        var position: Int64 = 0
        var part = ByteBuffer()
        let partSize = Int(state.partSize)
        do {
            for try await chunk in chunks {
                var chunk = chunk
                if position < state.acknowledged {
                    let skip = Int(min(Int64(chunk.readableBytes), state.acknowledged - position))
                    chunk.moveReaderIndex(forwardBy: skip)
                    position += Int64(skip)
                }
                guard chunk.readableBytes > 0 else { continue }
                position += Int64(chunk.readableBytes)
                part.writeBuffer(&chunk)
                while part.readableBytes >= partSize {
                    let slice = part.readSlice(length: partSize)!
                    try await send(slice, descriptor: descriptor, state: &state)
                    part.discardReadBytes()
                }
            }
        } catch let error as BlobError {
            // The bytes did not verify: what ECR holds of this upload cannot be trusted either,
            // so the next attempt starts a new upload instead of going on with this one.
            forget(descriptor)
            throw error
        }
        // Only reached when the stream verified: the last part completes a correct blob.
        if part.readableBytes > 0 {
            try await send(part, descriptor: descriptor, state: &state)
        }
        guard state.acknowledged == descriptor.size else {
            forget(descriptor)
            throw PartUploadInterrupted(digest: descriptor.digest, reason: "ECR acknowledged \(state.acknowledged) of \(descriptor.size) bytes")
        }
        do {
            _ = try await api.completeLayerUpload(ECR.CompleteLayerUploadInput(
                repositoryName: repositoryName, uploadId: state.uploadId, layerDigests: [descriptor.digest.description],
                registryId: registryId))
        } catch let error as ECRError where error.code == "LayerAlreadyExistsException" {
            // Someone else completed the same blob: it is there.
        } catch let error as ECRError where error.code == "UploadNotFoundException" {
            forget(descriptor)
            throw PartUploadInterrupted(digest: descriptor.digest, reason: "ECR no longer knows the upload; starting it again")
        } catch let error as ECRError where error.code == "InvalidLayerException" {
            // ECR's bytes do not hash to the digest: never resume this upload.
            forget(descriptor)
            throw error
        }
        forget(descriptor)
    }

    private func send(_ bytes: ByteBuffer, descriptor: Descriptor, state: inout UploadState) async throws {
        let first = state.acknowledged
        let last = first + Int64(bytes.readableBytes) - 1
        let output: ECR.UploadLayerPartOutput
        do {
            output = try await api.uploadLayerPart(ECR.UploadLayerPartInput(
                repositoryName: repositoryName, uploadId: state.uploadId, partFirstByte: first, partLastByte: last,
                layerPartBlob: Data(bytes.readableBytesView), registryId: registryId))
        } catch let error as ECRError {
            switch error {
            case .invalidLayerPart(_, let lastValid, _):
                // ECR has a different idea of where the upload is: go on from its byte.
                state.acknowledged = (lastValid ?? -1) + 1
                save(state, for: descriptor)
                throw PartUploadInterrupted(digest: descriptor.digest, reason: "ECR holds \(state.acknowledged) bytes; going on from there")
            default:
                if error.code == "UploadNotFoundException" {
                    forget(descriptor)
                    throw PartUploadInterrupted(digest: descriptor.digest, reason: "ECR no longer knows the upload; starting it again")
                }
                throw error
            }
        }
        state.acknowledged = (output.lastByteReceived ?? last) + 1
        save(state, for: descriptor)
    }

    /// The saved state of an earlier attempt, or a new upload.
    private func resumableState(for descriptor: Descriptor) async throws -> UploadState {
        if let saved = load(descriptor), saved.acknowledged <= descriptor.size {
            return saved
        }
        let output = try await api.initiateLayerUpload(
            ECR.InitiateLayerUploadInput(repositoryName: repositoryName, registryId: registryId))
        guard let uploadId = output.uploadId else {
            throw ECRError.invalidResponse(action: "InitiateLayerUpload", reason: "no uploadId in the answer")
        }
        let suggested = output.partSize ?? Self.defaultPartSize
        let state = UploadState(
            uploadId: uploadId, partSize: min(max(suggested, Self.minimumPartSize), Self.maximumPartSize), acknowledged: 0)
        save(state, for: descriptor)
        return state
    }

    // MARK: State files

    /// One file per registry, repository and digest.
    func statePath(for descriptor: Descriptor) -> String? {
        guard let stateDirectory else { return nil }
        let key = "\(registryId ?? "-")/\(repositoryName)@\(descriptor.digest)"
        return "\(stateDirectory)/\(DigestHasher.digest(of: Data(key.utf8)).hex.prefix(32)).json"
    }

    private func load(_ descriptor: Descriptor) -> UploadState? {
        guard let path = statePath(for: descriptor), let data = FileManager.default.contents(atPath: path) else { return nil }
        return try? JSONDecoder().decode(UploadState.self, from: data)
    }

    private func save(_ state: UploadState, for descriptor: Descriptor) {
        guard let path = statePath(for: descriptor), let data = try? JSONEncoder().encode(state) else { return }
        try? FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        // Written whole under another name, then renamed: a kill never leaves half a state file.
        let temporary = path + ".tmp-\(getpid())"
        if FileManager.default.createFile(atPath: temporary, contents: data) {
            _ = rename(temporary, path)
        }
    }

    private func forget(_ descriptor: Descriptor) {
        guard let path = statePath(for: descriptor) else { return }
        try? FileManager.default.removeItem(atPath: path)
    }
}

extension ECRClient: ECRLayerPartUploader.API {}

/// A part upload that must go on from another byte than planned: retried by the copier, which
/// streams the blob again and skips what ECR already holds.
public struct PartUploadInterrupted: Error, TransientError, CustomStringConvertible {
    public var digest: Digest
    public var reason: String
    public var isTransient: Bool { true }
    public var description: String { "ECR layer upload of \(digest) interrupted: \(reason)" }
}
