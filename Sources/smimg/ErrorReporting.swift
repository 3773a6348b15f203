import AWS
import ArgumentParser
import Foundation
import Layout
import OCI
import Registry
import Transfer

/// Maps failures to the documented exit codes and prints them: one line on stderr, and with
/// `--json` an object on stdout, so pipelines can tell what went wrong.
enum ErrorReporting {
    static func exitCode(for error: any Error) -> Int32 {
        switch error {
        case let error as RegistryError:
            switch error {
            case .unauthorized, .denied: return 2
            case .manifestNotFound, .repositoryNotFound, .blobNotFound: return 3
            default: return 1
            }
        case is CredentialsError: return 2
        case let error as ECRError:
            switch error {
            case .accessDenied, .credentialsRejected: return 2
            case .repositoryNotFound, .imageNotFound: return 3
            default: return 1
            }
        case is BlobError: return 4
        case is ResolveCheckError: return 3
        case is MirrorConfigurationError, is ValidationError: return 64
        case let error as ManifestError:
            if case .digestMismatch = error { return 4 }
            return 1
        case is ReferenceError, is LocationError, is PlatformError, is CredentialError: return 64
        case let error as CopyError:
            if case .platformNotFound = error { return 3 }
            return 1
        case let error as LayoutError:
            if case .tagNotFound = error { return 3 }
            return 1
        default: return 1
        }
    }

    /// Runs a command body; failures become an error line and the matching exit code.
    static func run(json: Bool, _ body: () async throws -> Void) async throws {
        do {
            try await body()
        } catch let error as ExitCode {
            throw error
        } catch {
            let code = exitCode(for: error)
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            if json {
                struct Failure: Encodable { var error: String; var exitCode: Int32 }
                try? printJSON(Failure(error: String(describing: error), exitCode: code))
            }
            throw ExitCode(code)
        }
    }
}
