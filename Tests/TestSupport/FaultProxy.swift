import Foundation

/// `scripts/fault-proxy.py` in front of a registry, started for one test and stopped after it.
public final class FaultProxy: @unchecked Sendable {
    public let address: String
    private let process: Process

    /// Starts the proxy with `--mode MODE` in front of `upstream` and waits for its address.
    public init(upstream: String, mode: String, extra: [String] = []) throws {
        let script = Harness.value("SMIMG_TEST_FAULT_PROXY")
            ?? Harness.packageRoot.appendingPathComponent("scripts/fault-proxy.py").path
        let python = Harness.value("SMIMG_TEST_PYTHON") ?? "python3"
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [python, script, "--listen", "127.0.0.1:0", "--upstream", upstream, "--mode", mode] + extra
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle(forWritingAtPath: "/dev/null")
        try process.run()
        // The first line is `LISTENING 127.0.0.1:PORT`.
        var line = Data()
        let handle = output.fileHandleForReading
        let deadline = Date().addingTimeInterval(15)
        while Date() < deadline {
            let byte = handle.readData(ofLength: 1)
            if byte.isEmpty || byte == Data("\n".utf8) { break }
            line.append(byte)
        }
        let text = String(decoding: line, as: UTF8.self)
        guard text.hasPrefix("LISTENING ") else {
            process.terminate()
            throw HarnessError.missing("fault proxy did not start (said: \(text))")
        }
        address = String(text.dropFirst("LISTENING ".count))
    }

    /// The proxy's `/_proxy/stats` JSON.
    public func stats() throws -> [String: Any] {
        let result = try Command.check(["curl", "-sf", "http://\(address)/_proxy/stats"])
        return (try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]) ?? [:]
    }

    public func stop() {
        guard process.isRunning else { return }
        process.terminate()
        // Foundation may start children with SIGTERM blocked; do not wait on it forever.
        let deadline = Date().addingTimeInterval(3)
        while process.isRunning, Date() < deadline { usleep(20_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    deinit { stop() }
}
