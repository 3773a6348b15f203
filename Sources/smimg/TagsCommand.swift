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

    @OptionGroup var access: RegistryAccessOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        output.bootstrapLogging()
        try await ErrorReporting.run(json: output.json) {
            let text = repository.hasPrefix("docker://") ? String(repository.dropFirst("docker://".count)) : repository
            let reference = try ImageReference(parsing: text)
            try await access.withRegistry(for: .registry(reference), output: output) { client in
                let tags = try await client.tags(reference)
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
