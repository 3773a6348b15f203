import ArgumentParser
import Foundation
import Logging
import OCI
import Registry

/// Output flags every command takes.
struct OutputOptions: ParsableArguments {
    @Flag(name: .shortAndLong, help: "Log every registry request (never credentials).")
    var verbose = false

    @Flag(name: .shortAndLong, help: "Print only errors and the result.")
    var quiet = false

    @Flag(help: "Print the result as JSON on standard output.")
    var json = false

    func bootstrapLogging() {
        let level: Logger.Level = verbose ? .debug : (quiet ? .error : .info)
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
    }

    var logger: Logger { Logger(label: "smimg") }
}

/// How registries are reached and authenticated.
struct RegistryOptions: ParsableArguments {
    @Option(name: .customLong("registries-config"), help: "YAML file of per-registry settings (prefix, location, insecure, ca_file). Default: $SMIMG_REGISTRIES_CONFIG or ~/.config/smimg/registries.yml.")
    var registriesConfig: String?

    @Option(name: .customLong("insecure-registry"), help: "Allow plain HTTP and unverified TLS for this registry host (repeatable).")
    var insecureRegistries: [String] = []

    @Option(help: "docker config.json to read credentials from (default: $REGISTRY_AUTH_FILE, $DOCKER_CONFIG/config.json, ~/.docker/config.json).")
    var authfile: String?

    @Option(help: "Retries of a failed request or blob transfer.")
    var retries: Int = 4

    func configuration() throws -> RegistryConfiguration {
        var configuration = try RegistryConfiguration.loadDefault(explicitPath: registriesConfig)
        for host in insecureRegistries { configuration.markInsecure(host) }
        return configuration
    }

    var retryPolicy: RetryPolicy { RetryPolicy(maxAttempts: max(0, retries) + 1) }

    /// A transport whose credentials come from `creds` (USER:PASSWORD) first, then `ecr` (ECR
    /// hosts: a token from GetAuthorizationToken), then docker's config.
    func transport(creds: String?, ecr: (any CredentialSource)? = nil, logger: Logger) throws -> RegistryTransport {
        var sources: [any CredentialSource] = []
        if let creds {
            sources.append(StaticCredentialSource(registry: nil, credentials: try RegistryCredentials(parsing: creds)))
        }
        if let ecr { sources.append(ecr) }
        sources.append(try DockerConfigCredentialSource(explicitPath: authfile))
        return RegistryTransport(
            configuration: try configuration(), credentials: ChainedCredentialSource(sources),
            retryPolicy: retryPolicy, logger: Logger(label: "smimg.registry"))
    }
}

/// Runs a command body with a transport that is shut down afterwards, whatever happens.
func withTransports<T>(_ transports: [RegistryTransport], _ body: () async throws -> T) async throws -> T {
    do {
        let result = try await body()
        for transport in transports { await transport.shutdown() }
        return result
    } catch {
        for transport in transports { await transport.shutdown() }
        throw error
    }
}

/// JSON as smimg prints it: sorted keys, no escaped slashes.
func printJSON<T: Encodable>(_ value: T) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    print(String(decoding: try encoder.encode(value), as: UTF8.self))
}
