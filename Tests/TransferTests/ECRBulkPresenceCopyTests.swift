import Foundation
import Layout
import OCI
import Testing
import TestSupport
import Transfer

/// The copier with a destination that answers blob presence in bulk (``ECRImageDestination``
/// over a fake BatchCheckLayerAvailability): it trusts the bulk answer and asks `hasBlob` only
/// for blobs the answer leaves out.
@Suite("ECR bulk blob presence in the copier")
struct ECRBulkPresenceCopyTests {
    /// A destination that records what the copier asks and writes.
    final class RecordingDestination: ImageDestination, @unchecked Sendable {
        private let lock = NSLock()
        private var held: Set<Digest>
        private var asked: [Digest] = []
        private var written: [Digest] = []

        init(held: Set<Digest>) { self.held = held }

        var displayName: String { "recording" }
        var tag: String? { "v1" }
        var hasBlobAsked: [Digest] { lock.withLock { asked } }
        var blobsWritten: Set<Digest> { lock.withLock { Set(written) } }

        func hasBlob(_ descriptor: Descriptor) async throws -> Bool {
            lock.withLock {
                asked.append(descriptor.digest)
                return held.contains(descriptor.digest)
            }
        }

        func putBlob(_ descriptor: Descriptor, chunks: ByteChunks) async throws {
            for try await _ in chunks {}
            lock.withLock {
                written.append(descriptor.digest)
                held.insert(descriptor.digest)
            }
        }

        func putManifest(_ manifest: Manifest, tag: String?) async throws {}
    }

    /// A synthetic image: its layout path and its blobs (config first, then the 3 layers).
    static func image(in directory: TemporaryDirectory) async throws -> (path: String, blobs: [Descriptor]) {
        let path = directory.appending("layout").path
        try SyntheticImage.writeLayout(at: path, tag: "v1", layerSizes: [1000, 2000, 3000])
        let root = try await OCILayoutSource(path: path, tag: "v1").rootManifest()
        guard case .image(let image) = try root.content() else { throw HarnessError.missing("an image manifest") }
        return (path, image.blobs)
    }

    @Test("blobs ECR reports AVAILABLE are skipped without a HEAD, missing ones are uploaded without a HEAD, unanswered ones get a HEAD")
    func trustsTheBulkAnswer() async throws {
        let directory = try TemporaryDirectory("ecr-bulk")
        defer { directory.remove() }
        let (path, blobs) = try await Self.image(in: directory)
        #expect(blobs.count == 4)
        let config = blobs[0], layer1 = blobs[1], layer2 = blobs[2], layer3 = blobs[3]
        let base = RecordingDestination(held: [config.digest, layer1.digest])
        let api = FakeLayerAvailabilityAPI(
            held: [config.digest.description, layer1.digest.description], unanswered: [layer3.digest.description])
        let destination = ECRImageDestination(
            wrapping: base, availability: ECRLayerAvailabilityCheck(api: api, repositoryName: "team/app"))
        let report = try await ImageCopier().copy(from: OCILayoutSource(path: path, tag: "v1"), to: destination)
        #expect(await api.calls.count == 1)
        #expect(Set(await api.calls.first?.layerDigests ?? []) == Set(blobs.map(\.digest.description)))
        #expect(base.hasBlobAsked == [layer3.digest])
        #expect(base.blobsWritten == [layer2.digest, layer3.digest])
        #expect(report.blobs.skipped == 2 && report.blobs.copied == 2)
    }

    @Test("a destination without a bulk answer is asked blob by blob, as before")
    func withoutBulkAnswerEveryBlobIsChecked() async throws {
        let directory = try TemporaryDirectory("ecr-bulk")
        defer { directory.remove() }
        let (path, blobs) = try await Self.image(in: directory)
        let base = RecordingDestination(held: [blobs[0].digest])
        let report = try await ImageCopier().copy(from: OCILayoutSource(path: path, tag: "v1"), to: base)
        #expect(Set(base.hasBlobAsked) == Set(blobs.map(\.digest)))
        #expect(base.hasBlobAsked.count == blobs.count)
        #expect(report.blobs.skipped == 1 && report.blobs.copied == 3)
    }
}
