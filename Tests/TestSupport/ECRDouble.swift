import Foundation

/// `scripts/ecr-double.py` in front of the harness's moto and "ECR" registry, started for one
/// test on a free loopback port and stopped after it: answers BatchCheckLayerAvailability and
/// the layer-upload actions from the registry, proxies every other ECR action to moto.
public final class ECRDouble: @unchecked Sendable {
    /// `127.0.0.1:PORT`.
    public let address: String
    private let process: Process

    /// The endpoint to give clients (`AWS_ENDPOINT_URL_ECR`).
    public var endpoint: String { "http://\(address)" }

    /// Starts the double with `--mode MODE` (`full` or `unsupported-batch-check`) and waits
    /// for its address; `extra` are more arguments (`--min-part-size N`, ...).
    public init(mode: String = "full", extra: [String] = []) throws {
        let script = Harness.packageRoot.appendingPathComponent("scripts/ecr-double.py").path
        let python = Harness.value("SMIMG_TEST_PYTHON") ?? "python3"
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            python, script, "--listen", "127.0.0.1:0", "--upstream", try Harness.require("SMIMG_TEST_MOTO"),
            "--registry", try Harness.require("SMIMG_TEST_ECR_REGISTRY"),
            "--registry-user", Harness.value("SMIMG_TEST_ECR_USER") ?? "AWS",
            "--registry-password", try Harness.require("SMIMG_TEST_ECR_PASSWORD"), "--mode", mode,
        ] + extra
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
            throw HarnessError.missing("ECR double did not start (said: \(text))")
        }
        address = String(text.dropFirst("LISTENING ".count))
    }

    /// The double's `/_double/stats` JSON.
    public func stats() throws -> [String: Any] {
        let result = try Command.check(["curl", "-sf", "http://\(address)/_double/stats"])
        return (try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]) ?? [:]
    }

    /// How many requests for an ECR action (`BatchCheckLayerAvailability`, ...) it received.
    public func calls(_ action: String) throws -> Int {
        let actions = try stats()["actions"] as? [String: Any] ?? [:]
        return (actions[action] as? NSNumber)?.intValue ?? 0
    }

    /// A counter of its stats (`registry_heads`, `checked_digests`, `open_uploads`, ...).
    public func counter(_ name: String) throws -> Int {
        (try stats()[name] as? NSNumber)?.intValue ?? 0
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
