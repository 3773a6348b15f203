import Archive
import Foundation
import Logging
import OCI
import Registry

/// Copies many images from one registry to another, each side with its own client (its own
/// credentials): the engine of `smimg mirror`.
///
/// For each image: a destination tag that already names the source's manifest is left alone
/// (one manifest request per side, nothing else); otherwise the destination repository is
/// prepared (ECR: created when missing), then ``ImageCopier`` copies it, with blobs the
/// destination has skipped, large blobs staged through the local store, and the tag written
/// last. An interrupted run therefore resumes where it stopped: completed blobs are present and
/// skipped, and no tag names an incomplete image.
public struct ImageMirror: Sendable {
    public struct Options: Sendable {
        public var copy: CopyOptions
        /// Go on after an image fails (the run still fails at the end).
        public var keepGoing: Bool
        /// Where large blobs are staged; nil streams everything straight through.
        public var stagingStore: BlobStore?
        /// Blobs of this size or more are staged.
        public var stagingThreshold: Int64

        public init(
            copy: CopyOptions = CopyOptions(), keepGoing: Bool = false, stagingStore: BlobStore? = nil,
            stagingThreshold: Int64 = 64 << 20
        ) {
            self.copy = copy
            self.keepGoing = keepGoing
            self.stagingStore = stagingStore
            self.stagingThreshold = stagingThreshold
        }
    }

    /// Makes a destination repository ready before anything is written to it (ECR: create it).
    public typealias RepositoryPreparation = @Sendable (ImageReference) async throws -> Void
    /// Wraps a registry destination (ECR: bulk presence checks and part uploads).
    public typealias DestinationWrapper = @Sendable (any ImageDestination, ImageReference) throws -> any ImageDestination

    let source: RegistryClient
    let destination: RegistryClient
    let prepare: RepositoryPreparation?
    let wrap: DestinationWrapper?
    let options: Options
    let logger: Logger
    let progress: @Sendable () -> any TransferProgress

    public init(
        source: RegistryClient, destination: RegistryClient, prepare: RepositoryPreparation? = nil,
        wrap: DestinationWrapper? = nil, options: Options = Options(), logger: Logger = Logger(label: "smimg.mirror"),
        progress: @escaping @Sendable () -> any TransferProgress = { SilentProgress() }
    ) {
        self.source = source
        self.destination = destination
        self.prepare = prepare
        self.wrap = wrap
        self.options = options
        self.logger = logger
        self.progress = progress
    }

    // MARK: Planning

    /// The images a configuration names: its explicit tags, and the source tags its filters
    /// select (the source's tag list is read once per repository that needs it).
    public func jobs(for configuration: MirrorConfiguration) async throws -> [MirrorJob] {
        var jobs: [MirrorJob] = []
        for entry in configuration.images {
            let repository = ImageReference(registry: configuration.source.registry, repository: entry.repository)
            let available = entry.selection.needsTagList ? try await source.tags(repository) : []
            let tags = entry.selection.select(from: available)
            if tags.isEmpty {
                logger.warning("\(repository.name): no tag matches the selection; nothing to copy")
            }
            let target = ImageReference(
                registry: configuration.destination.registry, repository: configuration.destinationRepository(for: entry))
            for tag in tags {
                jobs.append(MirrorJob(source: repository.with(tag: tag), destination: target.with(tag: tag), platform: entry.platform))
            }
        }
        return jobs
    }

    // MARK: Running

    /// Copies every job in order. Never throws for an image's failure: it is in the report.
    public func run(_ jobs: [MirrorJob]) async throws -> MirrorReport {
        let started = ContinuousClock.now
        var report = MirrorReport()
        var prepared: Set<String> = []
        var stopped = false
        for job in jobs {
            if stopped {
                report.append(.init(source: job.source.description, destination: job.destination.description, status: .notAttempted))
                continue
            }
            let image = await copy(job, prepared: &prepared)
            if image.status == .failed {
                logger.error("\(job.source) -> \(job.destination): \(image.error ?? "failed")")
                if !options.keepGoing { stopped = true }
            } else {
                logger.info("\(job.destination): \(image.status.rawValue), \(image.blobs.copied) blobs sent (\(ByteFormat.size(image.bytes.transferred)))")
            }
            report.append(image)
            try Task.checkCancellation()
        }
        report.totals.seconds = Self.seconds(since: started)
        return report
    }

    private func copy(_ job: MirrorJob, prepared: inout Set<String>) async -> MirrorReport.Image {
        let started = ContinuousClock.now
        var image = MirrorReport.Image(source: job.source.description, destination: job.destination.description, status: .failed)
        do {
            let sourceImage = RegistryImageSource(reference: job.source, client: source)
            let staging = options.stagingStore.map {
                StagingImageSource(base: sourceImage, store: $0, threshold: options.stagingThreshold)
            }
            if let current = try await upToDateDigest(job) {
                if let staging, let root = try? await sourceImage.rootManifest() {
                    await staging.releaseStaged(for: root)
                }
                image.status = .upToDate
                image.digest = current.description
                image.seconds = Self.seconds(since: started)
                return image
            }
            if let prepare, !prepared.contains(job.destination.name) {
                try await prepare(job.destination)
                prepared.insert(job.destination.name)
            }
            var target: any ImageDestination = RegistryImageDestination(reference: job.destination, client: destination)
            if let wrap { target = try wrap(target, job.destination) }
            var copyOptions = options.copy
            copyOptions.platform = job.platform ?? copyOptions.platform
            let copier = ImageCopier(options: copyOptions, progress: progress())
            let copied = try await copier.copy(from: staging ?? sourceImage, to: target)
            staging?.release()
            image.status = .copied
            image.digest = copied.digest
            image.blobs = copied.blobs
            image.bytes = copied.bytes
        } catch {
            image.status = .failed
            image.error = String(describing: error)
            image.failure = error
        }
        image.seconds = Self.seconds(since: started)
        return image
    }

    /// The digest both sides' tags name, when the destination already has the image (only for
    /// whole-image copies: a platform filter changes which manifest the tag names).
    private func upToDateDigest(_ job: MirrorJob) async throws -> Digest? {
        guard job.platform == nil, options.copy.platform == nil, job.destination.tag != nil || job.destination.digest != nil else {
            return nil
        }
        let wanted = try await source.manifest(job.source).digest
        do {
            let present = try await destination.manifest(job.destination).digest
            return present == wanted ? wanted : nil
        } catch let error as RegistryError {
            switch error {
            case .manifestNotFound, .repositoryNotFound: return nil
            default: throw error
            }
        }
    }

    // MARK: Dry run

    /// What `run` would send, without writing anything: per image, the blobs and bytes the
    /// destination has and those it lacks.
    public func preview(_ jobs: [MirrorJob]) async throws -> MirrorReport {
        let started = ContinuousClock.now
        var report = MirrorReport(dryRun: true)
        for job in jobs {
            var image = MirrorReport.Image(source: job.source.description, destination: job.destination.description, status: .planned)
            let imageStarted = ContinuousClock.now
            do {
                if let current = try await upToDateDigest(job) {
                    image.status = .upToDate
                    image.digest = current.description
                } else {
                    var target: any ImageDestination = RegistryImageDestination(reference: job.destination, client: destination)
                    if let wrap { target = try wrap(target, job.destination) }
                    let plan = try await CopyPlan.make(
                        source: RegistryImageSource(reference: job.source, client: source), destination: target,
                        platform: job.platform ?? options.copy.platform)
                    image.digest = plan.root.digest.description
                    let known = (try? await target.blobPresence(plan.blobs)) ?? [:]
                    for blob in plan.blobs {
                        let present: Bool
                        if let answer = known[blob.digest] {
                            present = answer
                        } else {
                            present = (try? await target.hasBlob(blob)) ?? false
                        }
                        image.blobs.total += 1
                        image.bytes.total += blob.size
                        if present {
                            image.blobs.skipped += 1
                            image.bytes.skipped += blob.size
                        } else {
                            image.blobs.copied += 1
                            image.bytes.transferred += blob.size
                        }
                    }
                }
            } catch {
                image.status = .failed
                image.error = String(describing: error)
                image.failure = error
            }
            image.seconds = Self.seconds(since: imageStarted)
            report.append(image)
        }
        report.totals.seconds = Self.seconds(since: started)
        return report
    }

    static func seconds(since start: ContinuousClock.Instant) -> Double {
        let elapsed = ContinuousClock.now - start
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }
}
