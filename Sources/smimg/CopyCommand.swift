import ArgumentParser
import OCI
import Registry
import Transfer

struct CopyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "copy",
        abstract: "Copy an image between registries, OCI layouts and archives (all platforms of an index by default).",
        discussion: """
            Blobs already in the destination are skipped, blobs in another repository of the same \
            registry are mounted, the rest stream through with their digests verified. The tag is \
            written last, only after every blob it needs is in place.
            """)

    @Argument(help: "Source: docker://REF, REF, or oci:DIR[:TAG].")
    var source: String

    @Argument(help: "Destination: docker://REF, REF, oci:DIR[:TAG], or docker-archive:FILE[:NAME:TAG].")
    var destination: String

    @Option(help: "Copy only this platform of a multi-platform image (os/arch[/variant]).")
    var platform: String?

    @Option(name: .shortAndLong, help: "Blobs transferred at once.")
    var jobs: Int = 4

    @Option(name: .customLong("src-creds"), help: "USER:PASSWORD for the source registry.")
    var sourceCredentials: String?

    @Option(name: .customLong("dest-creds"), help: "USER:PASSWORD for the destination registry.")
    var destinationCredentials: String?

    @OptionGroup var registry: RegistryOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        output.bootstrapLogging()
        try await ErrorReporting.run(json: output.json) {
            let from = try ImageLocation(parsing: source)
            let to = try ImageLocation(parsing: destination)
            let wanted = try platform.map { try Platform(parsing: $0) }
            // Source and destination never share credentials: each side has its own transport.
            let sourceTransport = try registry.transport(creds: sourceCredentials, logger: output.logger)
            let destinationTransport = try registry.transport(creds: destinationCredentials, logger: output.logger)
            try await withTransports([sourceTransport, destinationTransport]) {
                let imageSource = try LocationResolver(registry: RegistryClient(transport: sourceTransport)).source(from)
                let imageDestination = try LocationResolver(registry: RegistryClient(transport: destinationTransport)).destination(to)
                let progress: any TransferProgress = output.quiet ? SilentProgress() : StreamProgress()
                let copier = ImageCopier(
                    options: CopyOptions(platform: wanted, jobs: jobs, retryPolicy: registry.retryPolicy), progress: progress)
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
