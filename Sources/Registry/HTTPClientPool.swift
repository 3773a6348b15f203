import AsyncHTTPClient
import NIOCore
import NIOSSL

/// One HTTP client per kind of TLS trust (system roots, system roots plus a CA file, none),
/// created on first use and shut down together.
actor HTTPClientPool {
    enum Trust: Hashable {
        case system
        case systemAndCAFile(String)
        case unverified
    }

    private var clients: [Trust: HTTPClient] = [:]
    private var isShutDown = false

    func client(for trust: Trust) throws -> HTTPClient {
        if let client = clients[trust] { return client }
        guard !isShutDown else { throw CancellationError() }
        var tls = TLSConfiguration.makeClientConfiguration()
        switch trust {
        case .system:
            break
        case .systemAndCAFile(let path):
            tls.additionalTrustRoots = [.file(path)]
        case .unverified:
            tls.certificateVerification = .none
        }
        let configuration = HTTPClient.Configuration(
            tlsConfiguration: tls,
            redirectConfiguration: .disallow,
            // `read` is the longest silence tolerated while a response streams; there is no
            // deadline for a whole transfer, since a 20 GB layer takes as long as it takes.
            timeout: .init(connect: .seconds(30), read: .seconds(300)),
            decompression: .disabled)
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        clients[trust] = client
        return client
    }

    func shutdown() async {
        isShutDown = true
        let all = clients.values
        clients = [:]
        for client in all {
            try? await client.shutdown()
        }
    }
}
