import Foundation

/// `scripts/fault-proxy.py` in front of a registry, started for one test and stopped after it.
public final class FaultProxy: @unchecked Sendable {
    private let service: LoopbackService
    public var address: String { service.address }

    /// Starts the proxy with `--mode MODE` in front of `upstream` and waits for its address.
    public init(upstream: String, mode: String, extra: [String] = []) throws {
        service = try LoopbackService(script: "fault-proxy.py", arguments: ["--upstream", upstream, "--mode", mode] + extra)
    }

    /// The proxy's `/_proxy/stats` JSON.
    public func stats() throws -> [String: Any] { try service.json("/_proxy/stats") }

    public func stop() { service.stop() }
}
