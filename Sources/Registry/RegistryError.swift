import Foundation
import OCI

/// An error reported by a registry, or on the way to it. Descriptions name the registry and
/// say what to do next; they never contain credentials or tokens.
public enum RegistryError: Error, CustomStringConvertible {
    /// The registry (or its token service) rejected the credentials, or none were given.
    case unauthorized(registry: String, repository: String?, detail: String)
    /// Authenticated, but not allowed to do this.
    case denied(registry: String, repository: String?, detail: String)
    case manifestNotFound(ImageReference)
    case repositoryNotFound(registry: String, repository: String)
    case blobNotFound(registry: String, repository: String, digest: Digest)
    /// A status the operation does not expect, with the registry's own error codes if it sent any.
    case unexpectedStatus(operation: String, registry: String, status: Int, detail: String)
    /// Throttled or temporarily failing: retried by the transfer engine.
    case unavailable(operation: String, registry: String, status: Int, retryAfter: Duration?)
    case cannotConnect(registry: String, detail: String)
    case tlsFailure(registry: String, detail: String)
    case protocolViolation(registry: String, detail: String)
    case tooLarge(operation: String, registry: String, limit: Int)

    public var description: String {
        switch self {
        case .unauthorized(let registry, let repository, let detail):
            let target = repository.map { "\(registry)/\($0)" } ?? registry
            return "authentication to \(target) failed: \(detail). Check the credentials (--src-creds/--dest-creds, --authfile, docker login, or the AWS profile for ECR)"
        case .denied(let registry, let repository, let detail):
            let target = repository.map { "\(registry)/\($0)" } ?? registry
            return "access to \(target) denied: \(detail). The credentials are valid but lack permission for this operation"
        case .manifestNotFound(let reference):
            return "manifest unknown: \(reference) does not exist (check the tag or digest; `smimg tags \(reference.name)` lists tags)"
        case .repositoryNotFound(let registry, let repository):
            return "repository \(registry)/\(repository) does not exist"
        case .blobNotFound(let registry, let repository, let digest):
            return "blob \(digest) is missing from \(registry)/\(repository): the image is incomplete in the registry"
        case .unexpectedStatus(let operation, let registry, let status, let detail):
            return "\(operation) on \(registry) failed with HTTP \(status)\(detail.isEmpty ? "" : ": \(detail)")"
        case .unavailable(let operation, let registry, let status, _):
            return "\(operation) on \(registry) failed with HTTP \(status) (throttled or temporarily unavailable) after retrying"
        case .cannotConnect(let registry, let detail):
            return "cannot reach registry \(registry): \(detail)"
        case .tlsFailure(let registry, let detail):
            return "TLS with \(registry) failed: \(detail). Trust its CA with `ca_file` in the registries config, or mark it `insecure` if that is really intended"
        case .protocolViolation(let registry, let detail):
            return "registry \(registry) answered unexpectedly: \(detail)"
        case .tooLarge(let operation, let registry, let limit):
            return "\(operation) on \(registry): the response is larger than \(limit) bytes"
        }
    }

    /// Whether trying again may help (connection problems, throttling, server errors).
    public var isTransient: Bool {
        switch self {
        case .unavailable, .cannotConnect: return true
        default: return false
        }
    }

    public var retryAfter: Duration? {
        if case .unavailable(_, _, _, let after) = self { return after }
        return nil
    }
}

/// The `{"errors": [{"code", "message"}]}` body registries send with failures.
struct RegistryErrorBody: Decodable {
    struct Entry: Decodable {
        var code: String?
        var message: String?
    }
    var errors: [Entry]?

    static func summary(of bytes: [UInt8]) -> String {
        guard let body = try? JSONDecoder().decode(RegistryErrorBody.self, from: Data(bytes)),
              let errors = body.errors, !errors.isEmpty
        else { return "" }
        return errors.map { entry in
            [entry.code, entry.message].compactMap { $0 }.joined(separator: ": ")
        }.joined(separator: "; ")
    }

    static func codes(of bytes: [UInt8]) -> Set<String> {
        guard let body = try? JSONDecoder().decode(RegistryErrorBody.self, from: Data(bytes)) else { return [] }
        return Set((body.errors ?? []).compactMap(\.code))
    }
}
