import ArgumentParser
import Foundation
import OCI
import Registry
import Transfer

struct InspectCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Show an image's manifest, config, or a summary.")

    @Argument(help: "Image: docker://REF, REF, or oci:DIR[:TAG].")
    var image: String

    @Flag(help: "Print the manifest's exact bytes.")
    var raw = false

    @Flag(help: "Print the image config's exact bytes.")
    var config = false

    @Option(help: "Pick this platform of a multi-platform image (os/arch[/variant]).")
    var platform: String?

    @OptionGroup var access: RegistryAccessOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        output.bootstrapLogging()
        try await ErrorReporting.run(json: output.json) {
            let location = try ImageLocation(parsing: image)
            let wanted = try platform.map { try Platform(parsing: $0) }
            try await access.withSource(location, output: output) { source in
                let inspector = ImageInspector(source: source)
                if raw {
                    FileHandle.standardOutput.write(Data(try await inspector.manifest(platform: wanted).bytes))
                } else if config {
                    FileHandle.standardOutput.write(Data(try await inspector.configBytes(platform: wanted)))
                } else {
                    try printJSON(try await inspector.summary(platform: wanted))
                }
            }
        }
    }
}
