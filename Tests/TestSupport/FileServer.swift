import Foundation

/// `scripts/file-server.py` serving a directory on loopback, for download and index tests.
public final class FileServer: @unchecked Sendable {
    private let service: LoopbackService
    /// `127.0.0.1:PORT`.
    public var address: String { service.address }
    public var baseURL: String { "http://\(service.address)" }

    /// Serves `root`; `options` are the script's flags (`--truncate-once`, `--user U`, …).
    public init(root: String, options: [String] = []) throws {
        service = try LoopbackService(script: "file-server.py", arguments: ["--root", root] + options)
    }

    /// The server's `/_server/stats` JSON.
    public func stats() throws -> [String: Any] { try service.json("/_server/stats") }

    public func stop() { service.stop() }
}
