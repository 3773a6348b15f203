import AWS
import ArgumentParser
import Foundation

struct ECRCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ecr",
        abstract: "Amazon ECR helpers.",
        subcommands: [LoginPasswordCommand.self])
}

/// `smimg ecr login-password`: what `aws ecr get-login-password` prints, for other tools.
struct LoginPasswordCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "login-password",
        abstract: "Print an ECR registry password (user AWS), like `aws ecr get-login-password`.",
        discussion: "Example: smimg ecr login-password --region cn-northwest-1 | skopeo login --username AWS --password-stdin 123456789012.dkr.ecr.cn-northwest-1.amazonaws.com.cn")

    @Option(help: "The registry's region (default: AWS_REGION, AWS_DEFAULT_REGION, the profile's region).")
    var region: String?

    @Option(help: "AWS profile (default: the standard credentials chain).")
    var profile: String?

    @OptionGroup var output: OutputOptions

    func run() async throws {
        output.bootstrapLogging()
        try await ErrorReporting.run(json: output.json) {
            guard let region = try region ?? RegionResolver.resolve(profile: profile) else {
                throw ValidationError("no region: pass --region or set AWS_REGION")
            }
            try await withAWS { session in
                let client = try ECRClient(
                    httpClient: session.httpClient, region: region,
                    credentials: session.credentials(profile: profile, region: region))
                let token = try await client.getAuthorizationToken()
                print(token.password)
            }
        }
    }
}
