import ArgumentParser
import OCI
import Registry
import Transfer

/// What a command that reads from one registry needs: credentials, an AWS profile for ECR, and
/// the registry settings. `withRegistry` runs a body with a client and tears everything down.
struct RegistryAccessOptions: ParsableArguments {
    @Option(help: "USER:PASSWORD for the registry.")
    var creds: String?

    @Option(help: "AWS profile for ECR registries (default: the standard credentials chain).")
    var profile: String?

    @OptionGroup var registry: RegistryOptions

    /// Runs `body` with a registry client for `location` (ECR logins from `--profile`).
    func withRegistry<T>(for location: ImageLocation, output: OutputOptions, _ body: (RegistryClient) async throws -> T) async throws -> T {
        try await withAWS { aws in
            let transport = try registry.transport(
                creds: creds, ecr: aws.ecrCredentialSource(profile: profile, region: location.ecrRegion), logger: output.logger)
            return try await withTransports([transport]) {
                try await body(RegistryClient(transport: transport))
            }
        }
    }

    /// Runs `body` with `location` opened as an image source.
    func withSource<T>(_ location: ImageLocation, output: OutputOptions, _ body: (any ImageSource) async throws -> T) async throws -> T {
        try await withRegistry(for: location, output: output) { client in
            try await body(try LocationResolver(registry: client).source(location))
        }
    }
}
