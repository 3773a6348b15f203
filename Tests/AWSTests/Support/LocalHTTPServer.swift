import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix

/// A request the local server received.
struct RecordedRequest: Sendable {
    var method: String
    var uri: String
    var headers: [(String, String)]
    var body: [UInt8]

    func header(_ name: String) -> String? {
        headers.first { $0.0.lowercased() == name.lowercased() }?.1
    }
    var bodyText: String { String(decoding: body, as: UTF8.self) }
}

/// What the local server answers.
struct CannedResponse: Sendable {
    var status: Int
    var headers: [(String, String)] = []
    var body: [UInt8] = []

    static func json(_ text: String, status: Int = 200, headers: [(String, String)] = []) -> CannedResponse {
        CannedResponse(status: status, headers: [("Content-Type", "application/x-amz-json-1.1")] + headers, body: Array(text.utf8))
    }
    static func text(_ text: String, status: Int = 200, contentType: String = "text/plain") -> CannedResponse {
        CannedResponse(status: status, headers: [("Content-Type", contentType)], body: Array(text.utf8))
    }
}

/// An HTTP/1.1 server on 127.0.0.1 (ephemeral port) standing in for AWS endpoints (instance
/// metadata, container credentials, ECR) in tests. The responder gets each request and its
/// 0-based index; every request is recorded.
final class LocalHTTPServer: Sendable {
    typealias Responder = @Sendable (RecordedRequest, Int) -> CannedResponse

    let port: Int
    private let channel: any Channel
    private let log: RequestLog

    var baseURL: String { "http://127.0.0.1:\(port)" }
    var requests: [RecordedRequest] { log.all }

    private init(channel: any Channel, port: Int, log: RequestLog) {
        self.channel = channel
        self.port = port
        self.log = log
    }

    static func start(_ responder: @escaping Responder) async throws -> LocalHTTPServer {
        let log = RequestLog()
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(Handler(log: log, responder: responder))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        guard let port = channel.localAddress?.port else {
            try await channel.close()
            throw LocalServerError.noPort
        }
        return LocalHTTPServer(channel: channel, port: port, log: log)
    }

    func stop() async {
        try? await channel.close()
    }

    private final class Handler: ChannelInboundHandler {
        typealias InboundIn = HTTPServerRequestPart
        typealias OutboundOut = HTTPServerResponsePart

        let log: RequestLog
        let responder: Responder
        var head: HTTPRequestHead?
        var body: [UInt8] = []

        init(log: RequestLog, responder: @escaping Responder) {
            self.log = log
            self.responder = responder
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            switch unwrapInboundIn(data) {
            case .head(let head):
                self.head = head
                body = []
            case .body(let buffer):
                body.append(contentsOf: buffer.readableBytesView)
            case .end:
                guard let head else { return }
                let request = RecordedRequest(
                    method: head.method.rawValue, uri: head.uri, headers: head.headers.map { ($0.name, $0.value) },
                    body: body)
                let index = log.append(request)
                let response = responder(request, index)
                var headers = HTTPHeaders(response.headers)
                headers.replaceOrAdd(name: "Content-Length", value: String(response.body.count))
                let responseHead = HTTPResponseHead(
                    version: head.version, status: HTTPResponseStatus(statusCode: response.status), headers: headers)
                context.write(wrapOutboundOut(.head(responseHead)), promise: nil)
                context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(bytes: response.body)))), promise: nil)
                context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
                self.head = nil
            }
        }
    }
}

final class RequestLog: @unchecked Sendable {
    private let lock = NSLock()
    private var requests: [RecordedRequest] = []

    func append(_ request: RecordedRequest) -> Int {
        lock.withLock {
            requests.append(request)
            return requests.count - 1
        }
    }

    var all: [RecordedRequest] { lock.withLock { requests } }
}

enum LocalServerError: Error { case noPort }

/// Runs `body` with a fresh HTTPClient and shuts the client down afterwards.
@discardableResult
func withHTTPClient<T: Sendable>(
    configuration: HTTPClient.Configuration = .init(), _ body: (HTTPClient) async throws -> T
) async throws -> T {
    let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    do {
        let result = try await body(client)
        try await client.shutdown()
        return result
    } catch {
        try? await client.shutdown()
        throw error
    }
}

/// Runs `body` with a local server and stops it afterwards.
@discardableResult
func withLocalServer<T: Sendable>(
    _ responder: @escaping LocalHTTPServer.Responder, _ body: (LocalHTTPServer) async throws -> T
) async throws -> T {
    let server = try await LocalHTTPServer.start(responder)
    do {
        let result = try await body(server)
        await server.stop()
        return result
    } catch {
        await server.stop()
        throw error
    }
}
