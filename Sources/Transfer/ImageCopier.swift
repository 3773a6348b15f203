import Foundation
import OCI
import Registry

/// Copies an image from any source to any destination: every blob first (skipping those
/// present, mounting where the registry allows, streaming and verifying the rest with bounded
/// concurrency), then child manifests by digest, then the root manifest under its tag. A tag
/// therefore never names an image whose content is incomplete.
///
/// Which blobs are present is first asked of the destination for all blobs at once
/// (``ImageDestination/blobPresence(_:)``, e.g. ECR's BatchCheckLayerAvailability); its answer
/// is trusted, and only blobs it says nothing about are checked one by one (`hasBlob`).
public struct ImageCopier: Sendable {
    public let options: CopyOptions
    public let progress: any TransferProgress

    public init(options: CopyOptions = CopyOptions(), progress: any TransferProgress = SilentProgress()) {
        self.options = options
        self.progress = progress
    }

    public func copy(from source: any ImageSource, to destination: any ImageDestination) async throws -> CopyReport {
        let started = ContinuousClock.now
        do {
            let plan = try await CopyPlan.make(source: source, destination: destination, platform: options.platform)
            var report = CopyReport(
                source: source.displayName, destination: destination.displayName, root: plan.root,
                platforms: plan.platforms.map(\.description), manifests: plan.children.count + 1)
            let known = try await destination.blobPresence(plan.blobs)
            try await copyBlobs(plan.blobs, known: known, from: source, to: destination, report: &report)
            for child in plan.children {
                try await destination.putManifest(child, tag: nil)
                progress.manifestWritten(child, tag: nil)
            }
            try await destination.putManifest(plan.root, tag: destination.tag)
            progress.manifestWritten(plan.root, tag: destination.tag)
            try await destination.commit()
            progress.finish()
            let elapsed = ContinuousClock.now - started
            report.seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            return report
        } catch {
            progress.finish()
            await destination.discard()
            throw error
        }
    }

    private func copyBlobs(
        _ blobs: [Descriptor], known: [Digest: Bool], from source: any ImageSource, to destination: any ImageDestination,
        report: inout CopyReport
    ) async throws {
        let limit = max(1, min(options.jobs, destination.maxConcurrentBlobWrites))
        try await withThrowingTaskGroup(of: (Descriptor, BlobOutcome).self) { group in
            var pending = blobs.makeIterator()
            for _ in 0..<limit {
                guard let blob = pending.next() else { break }
                group.addTask { (blob, try await copyBlob(blob, known: known[blob.digest], from: source, to: destination)) }
            }
            while let (blob, outcome) = try await group.next() {
                report.record(outcome, size: blob.size)
                if let next = pending.next() {
                    group.addTask { (next, try await copyBlob(next, known: known[next.digest], from: source, to: destination)) }
                }
            }
        }
    }

    /// - Parameter known: whether the destination holds the blob, when its bulk answer said so.
    private func copyBlob(
        _ blob: Descriptor, known: Bool?, from source: any ImageSource, to destination: any ImageDestination
    ) async throws -> BlobOutcome {
        let present: Bool
        if let known {
            present = known
        } else {
            present = try await destination.hasBlob(blob)
        }
        if present {
            progress.blobFinished(blob, outcome: .skipped)
            return .skipped
        }
        if let repository = source.registryRepository, try await destination.mountBlob(blob, from: repository) {
            progress.blobFinished(blob, outcome: .mounted)
            return .mounted
        }
        progress.blobStarted(blob)
        let progress = self.progress
        try await options.retryPolicy.run(onRetry: { _, error in
            progress.blobRestarted(blob, reason: String(describing: error))
        }) { _ in
            let chunks = try await source.blob(blob)
            let verified = VerifyingChunks.wrap(chunks, expecting: blob) { bytes in
                progress.blobAdvanced(blob, bytes: bytes)
            }
            try await destination.putBlob(blob, chunks: verified)
        }
        progress.blobFinished(blob, outcome: .copied)
        return .copied
    }
}
