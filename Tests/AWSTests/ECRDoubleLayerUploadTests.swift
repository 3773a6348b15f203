import AsyncHTTPClient
import Foundation
import Testing
import TestSupport

@testable import AWS

/// ECR's layer-upload actions (InitiateLayerUpload, UploadLayerPart, CompleteLayerUpload) and
/// BatchCheckLayerAvailability driven through ``ECRClient`` against the ECR double
/// (scripts/ecr-double.py, in front of the harness's moto), which assembles parts on disk and
/// pushes the finished layer into the harness's "ECR" registry: the ground resumable part
/// uploads are built on.
@Suite(.enabled(if: Harness.isUp))
struct ECRDoubleLayerUploadTests {
    static let credentials = AWSCredentials(accessKeyId: "AKIDDOUBLETEST", secretAccessKey: "doubleSecret")
    static let partSize = 64 * 1024

    func client(_ httpClient: HTTPClient, _ double: ECRDouble) throws -> ECRClient {
        try ECRClient(
            httpClient: httpClient, region: "cn-northwest-1", credentials: StaticCredentialsProvider(Self.credentials),
            environment: [:], endpoint: URL(string: double.endpoint),
            retryPolicy: RetryPolicy(maxAttempts: 2, baseDelay: 0.05, maxDelay: 0.1))
    }

    static func randomBytes(_ count: Int) -> Data {
        var generator = SystemRandomNumberGenerator()
        return Data((0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) })
    }

    static func digest(_ data: Data) -> String {
        "sha256:" + Hashing.sha256Hex(data)
    }

    /// The blob as the registry serves it (Basic AWS/<token password>).
    static func registryBlob(_ repository: String, _ digest: String) throws -> Data {
        let creds = "\(Harness.value("SMIMG_TEST_ECR_USER") ?? "AWS"):\(try Harness.require("SMIMG_TEST_ECR_PASSWORD"))"
        let directory = try TemporaryDirectory("ecr-blob")
        defer { directory.remove() }
        let file = directory.appending("blob").path
        try Command.check([
            "curl", "-sf", "-u", creds, "-o", file,
            "http://\(try Harness.require("SMIMG_TEST_ECR_REGISTRY"))/v2/\(repository)/blobs/\(digest)",
        ])
        return try Data(contentsOf: URL(fileURLWithPath: file))
    }

    func part(_ ecr: ECRClient, _ repository: String, _ uploadId: String, _ data: Data, from first: Int)
        async throws -> ECR.UploadLayerPartOutput
    {
        try await ecr.uploadLayerPart(.init(
            repositoryName: repository, uploadId: uploadId, partFirstByte: Int64(first),
            partLastByte: Int64(first + data.count - 1), layerPartBlob: data))
    }

    @Test("a layer in two parts: a part at the wrong offset is rejected with the last valid byte, the rest completes into the registry")
    func twoPartUpload() async throws {
        let double = try ECRDouble(extra: ["--min-part-size", String(Self.partSize)])
        defer { double.stop() }
        try await withHTTPClient { (httpClient: HTTPClient) async throws in
            let ecr = try client(httpClient, double)
            let repository = uniqueRepository("smimg/layer-upload")
            _ = try await ecr.createRepository(.init(repositoryName: repository))
            let layer = Self.randomBytes(Self.partSize + 10_000)
            let digest = Self.digest(layer)

            let before = try await ecr.batchCheckLayerAvailability(.init(repositoryName: repository, layerDigests: [digest]))
            #expect(before.availableDigests.isEmpty)
            #expect(before.failures?.first?.failureCode == "MissingLayerDigest")

            let initiated = try await ecr.initiateLayerUpload(.init(repositoryName: repository))
            let uploadId = try #require(initiated.uploadId)
            #expect((initiated.partSize ?? 0) > 0)

            let head = layer.prefix(Self.partSize)
            let tail = layer.suffix(from: Self.partSize)
            let first = try await part(ecr, repository, uploadId, head, from: 0)
            #expect(first.lastByteReceived == Int64(Self.partSize - 1))
            #expect(first.uploadId == uploadId)

            // A part that skips bytes is refused; ECR says where to go on from.
            do {
                _ = try await part(ecr, repository, uploadId, tail, from: Self.partSize + 100)
                Issue.record("a part with a gap was accepted")
            } catch let error as ECRError {
                #expect(error == .invalidLayerPart(
                    action: "UploadLayerPart", lastValidByteReceived: Int64(Self.partSize - 1),
                    message: "The part's first byte \(Self.partSize + 100) does not follow the last byte received (\(Self.partSize - 1))"))
                #expect(error.code == "InvalidLayerPartException")
                #expect(error.description.contains("starting at byte \(Self.partSize)"))
            }

            let second = try await part(ecr, repository, uploadId, tail, from: Self.partSize)
            #expect(second.lastByteReceived == Int64(layer.count - 1))

            let completed = try await ecr.completeLayerUpload(
                .init(repositoryName: repository, uploadId: uploadId, layerDigests: [digest]))
            #expect(completed.layerDigest == digest)
            #expect(try Self.registryBlob(repository, digest) == layer)
            #expect(try double.counter("open_uploads") == 0)

            let after = try await ecr.batchCheckLayerAvailability(.init(repositoryName: repository, layerDigests: [digest]))
            #expect(after.availableDigests == [digest])
            #expect(after.layers?.first?.layerSize == Int64(layer.count))

            // The upload is finished: completing it again finds nothing.
            do {
                _ = try await ecr.completeLayerUpload(.init(repositoryName: repository, uploadId: uploadId, layerDigests: [digest]))
                Issue.record("a finished upload was completed twice")
            } catch let error as ECRError {
                #expect(error.code == "UploadNotFoundException")
            }
        }
    }

    @Test("CompleteLayerUpload refuses small parts, a wrong digest and a layer the repository has; other repositories cannot use the upload")
    func completionErrors() async throws {
        let double = try ECRDouble(extra: ["--min-part-size", String(Self.partSize)])
        defer { double.stop() }
        try await withHTTPClient { (httpClient: HTTPClient) async throws in
            let ecr = try client(httpClient, double)
            let repository = uniqueRepository("smimg/layer-errors")
            let other = uniqueRepository("smimg/layer-other")
            _ = try await ecr.createRepository(.init(repositoryName: repository))
            _ = try await ecr.createRepository(.init(repositoryName: other))
            let layer = Self.randomBytes(3000)
            let digest = Self.digest(layer)

            func code(_ body: () async throws -> Void) async -> String? {
                do {
                    try await body()
                    return nil
                } catch let error as ECRError {
                    return error.code
                } catch {
                    return "\(error)"
                }
            }

            // Two parts, the first below the minimum part size.
            let small = try #require(try await ecr.initiateLayerUpload(.init(repositoryName: repository)).uploadId)
            _ = try await part(ecr, repository, small, layer.prefix(1000), from: 0)
            _ = try await part(ecr, repository, small, layer.suffix(from: 1000), from: 1000)
            #expect(await code {
                _ = try await ecr.completeLayerUpload(.init(repositoryName: repository, uploadId: small, layerDigests: [digest]))
            } == "LayerPartTooSmallException")

            // One part (the last may be small), but the wrong digest; then the upload of another repository.
            let single = try #require(try await ecr.initiateLayerUpload(.init(repositoryName: repository)).uploadId)
            #expect(await code {
                _ = try await ecr.completeLayerUpload(.init(repositoryName: repository, uploadId: single, layerDigests: [digest]))
            } == "EmptyUploadException")
            _ = try await part(ecr, repository, single, layer, from: 0)
            #expect(await code {
                _ = try await ecr.completeLayerUpload(
                    .init(repositoryName: repository, uploadId: single, layerDigests: [Self.digest(Data("other".utf8))]))
            } == "InvalidLayerException")
            #expect(await code {
                _ = try await ecr.completeLayerUpload(.init(repositoryName: other, uploadId: single, layerDigests: [digest]))
            } == "UploadNotFoundException")
            let done = try await ecr.completeLayerUpload(.init(repositoryName: repository, uploadId: single, layerDigests: [digest]))
            #expect(done.layerDigest == digest)

            // The same layer again: ECR already has it.
            let again = try #require(try await ecr.initiateLayerUpload(.init(repositoryName: repository)).uploadId)
            _ = try await part(ecr, repository, again, layer, from: 0)
            #expect(await code {
                _ = try await ecr.completeLayerUpload(.init(repositoryName: repository, uploadId: again, layerDigests: [digest]))
            } == "LayerAlreadyExistsException")

            // A repository moto does not know.
            #expect(await code {
                _ = try await ecr.initiateLayerUpload(.init(repositoryName: uniqueRepository("smimg/missing")))
            } == "RepositoryNotFoundException")
        }
    }

    @Test("BatchCheckLayerAvailability takes at most 100 digests and reports malformed ones as failures")
    func batchCheckLimits() async throws {
        let double = try ECRDouble()
        defer { double.stop() }
        try await withHTTPClient { (httpClient: HTTPClient) async throws in
            let ecr = try client(httpClient, double)
            let repository = uniqueRepository("smimg/batch-limits")
            _ = try await ecr.createRepository(.init(repositoryName: repository))
            let digests = (0..<101).map { Self.digest(Data("\($0)".utf8)) }
            do {
                _ = try await ecr.batchCheckLayerAvailability(.init(repositoryName: repository, layerDigests: digests))
                Issue.record("101 digests were accepted")
            } catch let error as ECRError {
                #expect(error.code == "InvalidParameterException")
            }
            let answer = try await ecr.batchCheckLayerAvailability(
                .init(repositoryName: repository, layerDigests: Array(digests.prefix(100))))
            #expect(answer.layers?.isEmpty ?? true)
            #expect(answer.failures?.count == 100)
            let malformed = try await ecr.batchCheckLayerAvailability(.init(repositoryName: repository, layerDigests: ["sha256:abc"]))
            #expect(malformed.failures?.first?.failureCode == "InvalidLayerDigest")
        }
    }

    @Test("the ECR double answers unsupported BatchCheckLayerAvailability exactly as moto does: unsupportedOperation, not retried")
    func unsupportedModeLooksLikeMoto() async throws {
        let double = try ECRDouble(mode: "unsupported-batch-check")
        defer { double.stop() }
        try await withHTTPClient { (httpClient: HTTPClient) async throws in
            do {
                _ = try await client(httpClient, double).batchCheckLayerAvailability(
                    .init(repositoryName: "anything", layerDigests: [Self.digest(Data())]))
                Issue.record("the double answered BatchCheckLayerAvailability")
            } catch let error as ECRError {
                guard case .unsupportedOperation = error else { Issue.record("got \(error)"); return }
            }
            #expect(try double.calls("BatchCheckLayerAvailability") == 1)
        }
    }

    @Test("with --mode unsupported-layer-upload the layer-upload actions are unsupported, like moto, and BatchCheckLayerAvailability still works")
    func unsupportedLayerUploadMode() async throws {
        let double = try ECRDouble(mode: "unsupported-layer-upload")
        defer { double.stop() }
        try await withHTTPClient { (httpClient: HTTPClient) async throws in
            let ecr = try client(httpClient, double)
            let repository = uniqueRepository("smimg/no-layer-upload")
            _ = try await ecr.createRepository(.init(repositoryName: repository))
            do {
                _ = try await ecr.initiateLayerUpload(.init(repositoryName: repository))
                Issue.record("the double answered InitiateLayerUpload")
            } catch let error as ECRError {
                guard case .unsupportedOperation = error else { Issue.record("got \(error)"); return }
            }
            let answer = try await ecr.batchCheckLayerAvailability(
                .init(repositoryName: repository, layerDigests: [Self.digest(Data("absent".utf8))]))
            #expect(answer.failures?.first?.failureCode == "MissingLayerDigest")
        }
    }

    @Test("an InvalidLayerPartException body gives its lastValidByteReceived")
    func invalidLayerPartMapping() {
        let body = #"{"__type":"InvalidLayerPartException","message":"bad part","uploadId":"u","lastValidByteReceived":5242879}"#
        let classified = ECRError.classify(
            action: "UploadLayerPart", status: 400, errorTypeHeader: nil, body: Array(body.utf8), attempts: 1)
        #expect(classified.error == .invalidLayerPart(action: "UploadLayerPart", lastValidByteReceived: 5_242_879, message: "bad part"))
        #expect(!classified.retryable)
    }
}
