import ArgumentParser
import OCI
import Registry
import Transfer

struct TagsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tags",
        abstract: "List the tags of a repository.")

    @Argument(help: "Repository: REGISTRY/REPO (a tag or digest given is ignored).")
    var repository: String

    @Option(help: "USER:PASSWORD for the registry.")
    var creds: String?

    @Option(help: "AWS profile for ECR registries (default: the standard credentials chain).")
    var profile: String?

    @OptionGroup var registry: RegistryOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        output.bootstrapLogging()
        try await ErrorReporting.run(json: output.json) {
            let text = repository.hasPrefix("docker://") ? String(repository.dropFirst("docker://".count)) : repository
            let reference = try ImageReference(parsing: text)
            try await withAWS { aws in
            let region = ImageLocation.registry(reference).ecrRegion
            let transport = try registry.transport(
                creds: creds, ecr: aws.ecrCredentialSource(profile: profile, region: region), logger: output.logger)
            try await withTransports([transport]) {
                let tags = try await RegistryClient(transport: transport).tags(reference)
                if output.json {
                    struct Result: Encodable { var repository: String; var tags: [String] }
                    try printJSON(Result(repository: reference.name, tags: tags))
                } else {
                    for tag in tags { print(tag) }
                }
            }
            }
        }
    }
}
