import AWS
import ArgumentParser
import Builder
import Foundation
import OCI
import Registry
import Transfer

/// `smimg mirror`: registry-to-registry copies of one image or of a configured list, each side
/// with its own credentials (the global account's and the China account's never mix).
struct MirrorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mirror",
        abstract: "Mirror images between registries (global ECR -> China ECR and the like), resumably.",
        discussion: """
            One image:    smimg mirror SRC-REF DEST-REPO[:TAG]   (no tag: the source's tag)
            Many images:  smimg mirror --config mirror.yml       (see docs/mirror.md)

            Each side has its own credentials (--src-profile/--dest-profile, --src-creds/--dest-creds, \
            or profile:/creds: per side in the config). Destination ECR repositories are created when \
            missing. An image whose destination tag already names the same manifest is skipped; \
            otherwise blobs the destination has are skipped, large blobs are staged in the local \
            store (SMIMG_CACHE) and, for ECR, uploaded in parts that resume after an interruption. \
            A tag is written only after every blob it needs is in place, so an interrupted mirror \
            is simply run again. Exit status: 0 when every image is in place, else the status of \
            the first failure (1 for a mix).
            """)

    @Argument(help: "Source image reference (with a tag or digest).")
    var source: String?

    @Argument(help: "Destination repository, or repository:tag.")
    var destination: String?

    @Option(name: .shortAndLong, help: "Mirror configuration YAML (source, destination, images with tags, tag_regex, semver, latest).")
    var config: String?

    @Flag(name: .customLong("dry-run"), help: "Print what would be copied (images, blobs, bytes present and to send) without writing anything.")
    var dryRun = false

    @Flag(name: .customLong("keep-going"), help: "Go on after an image fails; exit non-zero at the end.")
    var keepGoing = false

    @Option(name: .customLong("staging-threshold"), help: "Blobs of this many bytes or more are staged in the local store before they are sent (0 turns staging off).")
    var stagingThreshold: Int64 = 64 << 20

    @OptionGroup var sides: TransferSideOptions
    @OptionGroup var registry: RegistryOptions
    @OptionGroup var ecr: ECROptions
    @OptionGroup var output: OutputOptions

    func validate() throws {
        if config != nil, source != nil || destination != nil {
            throw ValidationError("give either SRC DEST or --config FILE, not both")
        }
        if config == nil, source == nil || destination == nil {
            throw ValidationError("give SRC and DEST, or --config FILE")
        }
    }

    func run() async throws {
        output.bootstrapLogging()
        try await ErrorReporting.run(json: output.json) {
            try await execute()
        }
    }

    private func execute() async throws {
        let plan = try loadPlan()
        try await withAWS { (aws: AWSSession) in
            let sourceTransport = try transport(for: plan.sourceSide, creds: sides.sourceCredentials, profile: sides.sourceProfile, aws: aws)
            let destinationTransport = try transport(
                for: plan.destinationSide, creds: sides.destinationCredentials, profile: sides.destinationProfile, aws: aws)
            try await withTransports([sourceTransport, destinationTransport]) {
                let mirror = try makeMirror(
                    plan: plan, source: sourceTransport, destination: destinationTransport, aws: aws)
                let jobs = try await plan.jobs(mirror)
                let report = dryRun ? try await mirror.preview(jobs) : try await mirror.run(jobs)
                try emit(report)
                if !report.succeeded {
                    throw ExitCode(report.exitCode)
                }
            }
        }
    }

    /// One side's transport: its own USER:PASSWORD, or ECR logins signed with its own profile.
    private func transport(
        for side: MirrorConfiguration.Side, creds: String?, profile: String?, aws: AWSSession
    ) throws -> RegistryTransport {
        let region = ECRRegistryHost(parsing: side.registry)?.region
        return try registry.transport(
            creds: creds ?? side.creds, ecr: aws.ecrCredentialSource(profile: profile ?? side.profile ?? ecr.profile, region: region),
            logger: output.logger)
    }

    private func makeMirror(
        plan: Plan, source: RegistryTransport, destination: RegistryTransport, aws: AWSSession
    ) throws -> ImageMirror {
        let side = plan.destinationSide
        let profile = sides.destinationProfile ?? side.profile ?? ecr.profile
        let region = ECRRegistryHost(parsing: side.registry)?.region
        let isECR = (sides.destinationCredentials ?? side.creds) == nil && ECRRegistryHost(parsing: side.registry) != nil
        let environment = aws.environment(profile: profile)
        let credentials = aws.credentials(profile: profile, region: region)
        let settings = try ecr.repositorySettings()
        let store = ContentStore.fromEnvironment()
        let logger = output.logger
        let httpClient = aws.httpClient
        var prepare: ImageMirror.RepositoryPreparation?
        var wrap: ImageMirror.DestinationWrapper?
        if isECR {
            if !ecr.noCreateRepository {
                prepare = { (reference: ImageReference) in
                    try await ECRRepositoryProvisioner(
                        httpClient: httpClient, credentials: credentials, settings: settings, environment: environment,
                        logger: logger
                    ).ensureRepository(for: reference)
                }
            }
            let stateDirectory = store.root + "/ecr-uploads"
            let partThreshold = sides.partThreshold
            wrap = { (target: any ImageDestination, reference: ImageReference) in
                try ECRImageDestination.wrappingIfECR(
                    target, location: .registry(reference), httpClient: httpClient, credentials: credentials,
                    environment: environment, partThreshold: partThreshold, uploadStateDirectory: stateDirectory,
                    logger: logger)
            }
        }
        let copyOptions = CopyOptions(
            platform: try sides.platform.map { try Platform(parsing: $0) }, jobs: sides.jobs, retryPolicy: registry.retryPolicy)
        let options = ImageMirror.Options(
            copy: copyOptions, keepGoing: keepGoing, stagingStore: stagingThreshold > 0 ? store.blobs : nil,
            stagingThreshold: stagingThreshold)
        let quiet = output.quiet
        return ImageMirror(
            source: RegistryClient(transport: source), destination: RegistryClient(transport: destination),
            prepare: prepare, wrap: wrap, options: options, logger: logger,
            progress: { quiet ? SilentProgress() as any TransferProgress : StreamProgress() })
    }

    /// The sides and the images to copy, from the arguments or the configuration file.
    private struct Plan {
        var sourceSide: MirrorConfiguration.Side
        var destinationSide: MirrorConfiguration.Side
        var jobs: (ImageMirror) async throws -> [MirrorJob]
    }

    private func loadPlan() throws -> Plan {
        if let config {
            let configuration = try MirrorConfiguration.load(path: config)
            return Plan(
                sourceSide: configuration.source, destinationSide: configuration.destination,
                jobs: { try await $0.jobs(for: configuration) })
        }
        var from = try Self.registryReference(source ?? "", role: "source")
        let to = try Self.registryReference(destination ?? "", role: "destination")
        if from.tag == nil, from.digest == nil { from = from.with(tag: "latest") }
        let job = MirrorJob.single(source: from, destination: to)
        return Plan(
            sourceSide: .init(registry: from.registry), destinationSide: .init(registry: to.registry),
            jobs: { _ in [job] })
    }

    private static func registryReference(_ text: String, role: String) throws -> ImageReference {
        guard case .registry(let reference) = try ImageLocation(parsing: text) else {
            throw ValidationError("the mirror \(role) must be a registry reference, not \(text); use `smimg copy` for layouts and archives")
        }
        // A bare repository parses with tag nil; keep that, so the source's tag is used.
        return reference
    }

    private func emit(_ report: MirrorReport) throws {
        if output.json {
            try printJSON(report)
            return
        }
        for image in report.images {
            var line = "\(image.status.rawValue.padding(toLength: 13, withPad: " ", startingAt: 0)) \(image.source) -> \(image.destination)"
            switch image.status {
            case .copied:
                line += "  \(image.blobs.copied) blobs sent (\(ByteFormat.size(image.bytes.transferred))), \(image.blobs.skipped + image.blobs.mounted) present"
            case .planned:
                line += "  \(image.blobs.copied) of \(image.blobs.total) blobs to send (\(ByteFormat.size(image.bytes.transferred))), \(ByteFormat.size(image.bytes.skipped)) present"
            case .failed:
                line += "  \(image.error ?? "")"
            case .upToDate, .notAttempted:
                break
            }
            print(line)
        }
        let totals = report.totals
        let verb = report.dryRun ? "would send" : "sent"
        print("\(totals.images) images: \(totals.copied) copied, \(totals.upToDate) up to date, "
            + (report.dryRun ? "\(totals.planned) to copy, " : "")
            + "\(totals.failed) failed, \(totals.notAttempted) not attempted; \(verb) \(ByteFormat.size(totals.bytesTransferred)), "
            + "\(ByteFormat.size(totals.bytesPresent)) already present, in \(String(format: "%.1f", totals.seconds)) s")
    }
}

extension MirrorReport {
    /// The exit status of a run that did not succeed: that of the failures' kind when they
    /// agree (2 authentication, 3 not found, 4 verification), else 1.
    var exitCode: Int32 {
        let failures = images.filter { $0.status == .failed }
        guard !failures.isEmpty else { return 1 }
        let codes = Set(failures.map { $0.failure.map(ErrorReporting.exitCode(for:)) ?? 1 })
        return codes.count == 1 ? codes.first! : 1
    }
}
