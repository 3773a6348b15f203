import Foundation

/// A test service script (`scripts/fault-proxy.py`, `scripts/ecr-double.py`) started for one
/// test: it prints `LISTENING 127.0.0.1:PORT` first, and is stopped with SIGTERM, then SIGKILL.
public final class LoopbackService: @unchecked Sendable {
    /// `127.0.0.1:PORT`.
    public let address: String
    private let process: Process

    /// Runs `scripts/NAME` with the harness's python and `arguments`, and waits for its address.
    public init(script name: String, arguments: [String]) throws {
        let script = Harness.packageRoot.appendingPathComponent("scripts/\(name)").path
        let python = Harness.value("SMIMG_TEST_PYTHON") ?? "python3"
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [python, script, "--listen", "127.0.0.1:0"] + arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle(forWritingAtPath: "/dev/null")
        try process.run()
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
            throw HarnessError.missing("\(name) did not start (said: \(text))")
        }
        address = String(text.dropFirst("LISTENING ".count))
    }

    /// GETs a JSON object from the service (its stats endpoint).
    public func json(_ path: String) throws -> [String: Any] {
        let result = try Command.check(["curl", "-sf", "http://\(address)\(path)"])
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
