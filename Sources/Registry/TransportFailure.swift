import AsyncHTTPClient
import NIOCore
import NIOPosix
import NIOSSL

/// Turns errors from the HTTP stack into registry errors with readable causes.
enum TransportFailure {
    static func describe(_ error: any Error) -> String {
        if let error = error as? HTTPClientError {
            switch error {
            case .connectTimeout: return "connection timed out"
            case .readTimeout: return "no data received for too long (read timeout)"
            case .remoteConnectionClosed: return "the server closed the connection"
            case .cancelled: return "cancelled"
            default: return String(describing: error)
            }
        }
        if let error = error as? NIOConnectionError {
            let causes = error.connectionErrors.map { String(describing: $0.error) }
            return "connection failed to \(error.host):\(error.port)" + (causes.isEmpty ? "" : " (\(causes.joined(separator: "; ")))")
        }
        return String(describing: error)
    }

    static func isTLS(_ error: any Error) -> Bool {
        if error is NIOSSLError || error is BoringSSLError { return true }
        let text = String(describing: error)
        return text.contains("SSL") || text.contains("certificate") || text.contains("handshake")
    }

    static func registryError(_ error: any Error, registry: String) -> RegistryError {
        if let error = error as? RegistryError { return error }
        if isTLS(error) { return .tlsFailure(registry: registry, detail: describe(error)) }
        return .cannotConnect(registry: registry, detail: describe(error))
    }
}
