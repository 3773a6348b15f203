import ArgumentParser
import OCI
import Registry
import Transfer

struct DigestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "digest",
        abstract: "Print the digest of an image's manifest (the index for a multi-platform image).")

    @Argument(help: "Image: docker://REF, REF, or oci:DIR[:TAG].")
    var image: String

    @Option(help: "The digest of this platform's manifest instead of the index.")
    var platform: String?

    @OptionGroup var access: RegistryAccessOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        output.bootstrapLogging()
        try await ErrorReporting.run(json: output.json) {
            let location = try ImageLocation(parsing: image)
            let wanted = try platform.map { try Platform(parsing: $0) }
            try await access.withSource(location, output: output) { source in
                let manifest = try await ImageInspector(source: source).manifest(platform: wanted)
                if output.json {
                    struct Result: Encodable { var digest: String; var mediaType: String; var size: Int }
                    try printJSON(Result(digest: manifest.digest.description, mediaType: manifest.mediaType, size: manifest.bytes.count))
                } else {
                    print(manifest.digest)
                }
            }
        }
    }
}
