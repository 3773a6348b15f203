import ArgumentParser
import Transfer

/// What `copy` and `mirror` take for moving images: the platform, parallelism, each side's own
/// credentials (source and destination never share them) and ECR part uploads.
struct TransferSideOptions: ParsableArguments {
    @Option(help: "Copy only this platform of a multi-platform image (os/arch[/variant]).")
    var platform: String?

    @Option(name: .shortAndLong, help: "Blobs transferred at once.")
    var jobs: Int = 4

    @Option(name: .customLong("src-creds"), help: "USER:PASSWORD for the source registry.")
    var sourceCredentials: String?

    @Option(name: .customLong("dest-creds"), help: "USER:PASSWORD for the destination registry.")
    var destinationCredentials: String?

    @Option(name: .customLong("src-profile"), help: "AWS profile for an ECR source (default: a mirror config's, then --profile, then the standard chain).")
    var sourceProfile: String?

    @Option(name: .customLong("dest-profile"), help: "AWS profile for an ECR destination (default: a mirror config's, then --profile, then the standard chain).")
    var destinationProfile: String?

    @Option(name: .customLong("ecr-part-size-threshold"), help: "ECR destinations: blobs of this many bytes or more go through ECR's layer-part uploads, which resume after an interruption (0 turns them off).")
    var partThresholdBytes: Int64 = ECRImageDestination.defaultPartThreshold

    /// nil when part uploads are off.
    var partThreshold: Int64? { partThresholdBytes > 0 ? partThresholdBytes : nil }

    func validate() throws {
        if jobs < 1 { throw ValidationError("--jobs must be 1 or more") }
    }
}
