import AsyncHTTPClient
import NIOCore
import NIOHTTP1
import OCI

/// One request to a registry, before the transport adds its endpoint and authorization.
struct RegistryRequest: Sendable {
    enum Body: Sendable {
        case none
        case bytes([UInt8])
        /// A streamed body can be sent once only: requests carrying one are not retried.
        case stream(ByteChunks, length: Int64)
    }

    var method: HTTPMethod
    /// A path on the registry (`/v2/...`, may carry a query) or an absolute URL the registry
    /// handed out (an upload `Location`).
    var target: String
    var headers: HTTPHeaders = [:]
    var body: Body = .none
    /// Token scopes the request needs, e.g. `repository:library/python:pull`.
    var scopes: [String] = []
    /// Follow 3xx redirects (blob downloads), sending `Authorization` only to the same host.
    var followRedirects = false
    /// A short name for errors and logs ("blob upload").
    var operation: String

    var isReplayable: Bool {
        if case .stream = body { return false }
        return true
    }
}

/// Scopes as the token protocol names them.
enum Scope {
    static func pull(_ repository: String) -> String { "repository:\(repository):pull" }
    static func push(_ repository: String) -> String { "repository:\(repository):pull,push" }
}
