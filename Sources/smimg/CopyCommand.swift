import ArgumentParser
import Builder
import OCI
import Registry
import Transfer

struct CopyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "copy",
        abstract: "Copy an image between registries, OCI layouts and archives (all platforms of an index by default).",
        discussion: """
            Blobs already in the destination are skipped (for ECR, asked in bulk with \
            BatchCheckLayerAvailability), blobs in another repository of the same registry are \
            mounted, the rest stream through with their digests verified. The tag is written last, \
            only after every blob it needs is in place. `smimg push oci:DIR:TAG REF` is the same \
            command under the name that reads best for a local image.
            """,
        aliases: ["push"])

    @Argument(help: "Source: docker://REF, REF, or oci:DIR[:TAG].")
    var source: String

    @Argument(help: "Destination: docker://REF, REF, oci:DIR[:TAG], or docker-archive:FILE[:NAME:TAG].")
    var destination: String

    @OptionGroup var sides: TransferSideOptions
    @OptionGroup var registry: RegistryOptions
    @OptionGroup var ecr: ECROptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        output.bootstrapLogging()
        try await ErrorReporting.run(json: output.json) {
            let from = try ImageLocation(parsing: source)
            let to = try ImageLocation(parsing: destination)
            let wanted = try sides.platform.map { try Platform(parsing: $0) }
            let settings = try ecr.repositorySettings()
            try await withAWS { aws in
            // Source and destination never share credentials: each side has its own transport,
            // and for ECR its own AWS profile (global and China accounts never share keys).
            let sourceProfile = sides.sourceProfile ?? ecr.profile
            let destinationProfile = sides.destinationProfile ?? ecr.profile
            let sourceTransport = try registry.transport(
                creds: sides.sourceCredentials, ecr: aws.ecrCredentialSource(profile: sourceProfile, region: from.ecrRegion),
                logger: output.logger)
            let destinationTransport = try registry.transport(
                creds: sides.destinationCredentials, ecr: aws.ecrCredentialSource(profile: destinationProfile, region: to.ecrRegion),
                logger: output.logger)
            try await withTransports([sourceTransport, destinationTransport]) {
                if case .registry(let reference) = to, !ecr.noCreateRepository, sides.destinationCredentials == nil {
                    try await ECRRepositoryProvisioner(
                        httpClient: aws.httpClient,
                        credentials: aws.credentials(profile: destinationProfile, region: to.ecrRegion),
                        settings: settings, environment: aws.environment(profile: destinationProfile), logger: output.logger
                    ).ensureRepository(for: reference)
                }
                let imageSource = try LocationResolver(registry: RegistryClient(transport: sourceTransport)).source(from)
                var imageDestination = try LocationResolver(registry: RegistryClient(transport: destinationTransport)).destination(to)
                if sides.destinationCredentials == nil {
                    // ECR repositories: which blobs are present is asked in bulk (BatchCheckLayerAvailability).
                    imageDestination = try ECRImageDestination.wrappingIfECR(
                        imageDestination, location: to, httpClient: aws.httpClient,
                        credentials: aws.credentials(profile: destinationProfile, region: to.ecrRegion),
                        environment: aws.environment(profile: destinationProfile), partThreshold: sides.partThreshold,
                        uploadStateDirectory: ContentStore.fromEnvironment().root + "/ecr-uploads", logger: output.logger)
                }
                let progress: any TransferProgress = output.quiet ? SilentProgress() : StreamProgress()
                let copier = ImageCopier(
                    options: CopyOptions(platform: wanted, jobs: sides.jobs, retryPolicy: registry.retryPolicy), progress: progress)
                let report = try await copier.copy(from: imageSource, to: imageDestination)
                if output.json {
                    try printJSON(report)
                } else {
                    print(report.digest)
                    if !output.quiet {
                        let line = "copied \(report.blobs.copied) blobs (\(report.bytes.transferred) bytes), "
                            + "\(report.blobs.skipped) already present, \(report.blobs.mounted) mounted, in \(String(format: "%.1f", report.seconds)) s"
                        output.logger.info("\(line)")
                    }
                }
            }
            }
        }
    }
}
