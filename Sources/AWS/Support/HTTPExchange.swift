import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// One HTTP request/response with the whole (bounded) response body, over an injected
/// AsyncHTTPClient.
struct HTTPExchange: Sendable {
    struct Response: Sendable {
        var status: Int
        var headers: HTTPHeaders
        var body: [UInt8]

        var bodyText: String { String(decoding: body, as: UTF8.self) }
    }

    /// Responses larger than this are cut off with an error (AWS API answers are small).
    static let maxResponseBytes = 16 * 1024 * 1024

    static func send(
        _ client: HTTPClient, method: HTTPMethod, url: String, headers: [(String, String)], body: [UInt8]? = nil,
        timeout: TimeAmount
    ) async throws -> Response {
        var request = HTTPClientRequest(url: url)
        request.method = method
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body { request.body = .bytes(body) }
        let response = try await client.execute(request, timeout: timeout)
        let buffer = try await response.body.collect(upTo: maxResponseBytes)
        return Response(status: Int(response.status.code), headers: response.headers, body: Array(buffer.readableBytesView))
    }

    /// `host[:port]` for the Host header: the port only when it is not the scheme's default.
    static func hostHeader(for url: URL) -> String {
        var host = url.host ?? ""
        if host.contains(":") && !host.hasPrefix("[") { host = "[\(host)]" }
        guard let port = url.port else { return host }
        let scheme = url.scheme?.lowercased()
        if (scheme == "https" && port == 443) || (scheme == "http" && port == 80) { return host }
        return "\(host):\(port)"
    }

    /// A short, secret-free description of a transport failure.
    static func describe(_ error: any Error) -> String {
        if let error = error as? HTTPClientError { return "\(error)" }
        return String(describing: error)
    }
}
