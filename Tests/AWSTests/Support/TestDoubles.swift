import Foundation

@testable import AWS

/// A clock the test moves by hand.
final class TestClock: @unchecked Sendable {
    private let lock = NSLock()
    private var current: Date

    init(_ start: Date = Date(timeIntervalSince1970: 1_800_000_000)) {
        current = start
    }

    var now: Date { lock.withLock { current } }

    func advance(by seconds: TimeInterval) {
        lock.withLock { current = current.addingTimeInterval(seconds) }
    }

    var function: @Sendable () -> Date { { self.now } }
}

/// A provider that hands out numbered credentials (`AKID1`, `AKID2`, …) and counts the calls;
/// each expires `lifetime` seconds after the clock's time at the call (nil: never).
actor CountingProvider: CredentialsProvider {
    private(set) var calls = 0
    let clock: TestClock
    let lifetime: TimeInterval?
    let delay: UInt64
    var failing = false

    init(clock: TestClock, lifetime: TimeInterval?, delayNanoseconds: UInt64 = 0) {
        self.clock = clock
        self.lifetime = lifetime
        delay = delayNanoseconds
    }

    func setFailing(_ value: Bool) { failing = value }

    func credentials() async throws -> AWSCredentials {
        calls += 1
        let number = calls
        if delay > 0 { try await Task.sleep(nanoseconds: delay) }
        if failing { throw CredentialsError.endpointFailed(source: "test source", url: "test", reason: "unavailable") }
        return AWSCredentials(
            accessKeyId: "AKID\(number)", secretAccessKey: "secret\(number)", sessionToken: "token\(number)",
            expiration: lifetime.map { clock.now.addingTimeInterval($0) })
    }
}

/// Writes config and credentials files into a temporary directory and gives the environment
/// that selects them.
struct SharedFiles {
    let directory: URL

    init(config: String? = nil, credentials: String? = nil) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("smimg-aws-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        if let config { try config.write(to: directory.appendingPathComponent("config"), atomically: true, encoding: .utf8) }
        if let credentials {
            try credentials.write(to: directory.appendingPathComponent("credentials"), atomically: true, encoding: .utf8)
        }
    }

    func write(_ name: String, _ text: String) throws -> String {
        let url = directory.appendingPathComponent(name)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    /// The environment pointing at these files, with instance metadata off and nothing else set.
    func environment(_ extra: [String: String] = [:]) -> [String: String] {
        var environment = [
            "AWS_CONFIG_FILE": directory.appendingPathComponent("config").path,
            "AWS_SHARED_CREDENTIALS_FILE": directory.appendingPathComponent("credentials").path,
            "AWS_EC2_METADATA_DISABLED": "true",
            "HOME": directory.path,
            "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin",
        ]
        environment.merge(extra) { $1 }
        return environment
    }

    func remove() { try? FileManager.default.removeItem(at: directory) }
}
