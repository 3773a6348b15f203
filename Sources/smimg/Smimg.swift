import ArgumentParser

@main
struct Smimg: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "smimg",
        abstract: "Build container images and publish them to registries and Amazon ECR, without a Docker daemon.",
        discussion: """
            Image locations: docker://REGISTRY/REPO:TAG (or a bare reference), oci:DIR[:TAG], \
            docker-archive:FILE[:NAME:TAG] (destination only).
            Exit codes: 0 success, 1 failure, 2 authentication or permission, 3 not found, \
            4 content verification failed, 64 usage error.
            """,
        version: "0.1.0",
        subcommands: [BuildCommand.self, CopyCommand.self, MirrorCommand.self, InspectCommand.self, DigestCommand.self, TagsCommand.self, ResolveCommand.self, ECRCommand.self, BenchCommand.self]
    )
}
