import Foundation

/// Runs a program to completion with bounded output and a time limit (for
/// `credential_process`); on timeout or too much output the whole process group is killed.
struct ChildProcess {
    struct Result: Sendable {
        var status: Int32
        var stdout: Data
        var stderr: Data
        var timedOut: Bool
        var outputTooLarge: Bool
    }

    static func run(
        executable: String, arguments: [String], environment: [String: String], timeout: TimeInterval,
        maxOutputBytes: Int
    ) async throws -> Result {
        let child = try SpawnedProcess.spawn(
            executable: executable, arguments: arguments, environment: environment, captureOutput: true)
        let flags = Flags()
        // Dedicated threads, not the global dispatch queue: its few threads (one per core) can
        // all be blocked in reads elsewhere, which would starve the timeout.
        Thread.detachNewThread {
            let deadline = Date().addingTimeInterval(timeout)
            while !flags.finished, Date() < deadline { usleep(20_000) }
            guard !flags.finished else { return }
            flags.timedOut = true
            child.kill()
        }
        return await withCheckedContinuation { continuation in
            Thread.detachNewThread {
                let errorOutput = Flags()
                let group = DispatchGroup()
                if let fd = child.standardError {
                    group.enter()
                    Thread.detachNewThread {
                        errorOutput.data = SpawnedProcess.readAll(fd, limit: maxOutputBytes) {}
                        group.leave()
                    }
                }
                var output = Data()
                if let fd = child.standardOutput {
                    output = SpawnedProcess.readAll(fd, limit: maxOutputBytes) {
                        flags.outputTooLarge = true
                        child.kill()
                    }
                }
                group.wait()
                let status = child.waitForExit()
                flags.finished = true
                continuation.resume(
                    returning: Result(
                        status: status, stdout: output, stderr: errorOutput.data, timedOut: flags.timedOut,
                        outputTooLarge: flags.outputTooLarge))
            }
        }
    }

    private final class Flags: @unchecked Sendable {
        private let lock = NSLock()
        private var _timedOut = false
        private var _finished = false
        private var _outputTooLarge = false
        private var _data = Data()
        var timedOut: Bool {
            get { lock.withLock { _timedOut } }
            set { lock.withLock { _timedOut = newValue } }
        }
        var finished: Bool {
            get { lock.withLock { _finished } }
            set { lock.withLock { _finished = newValue } }
        }
        var outputTooLarge: Bool {
            get { lock.withLock { _outputTooLarge } }
            set { lock.withLock { _outputTooLarge = newValue } }
        }
        var data: Data {
            get { lock.withLock { _data } }
            set { lock.withLock { _data = newValue } }
        }
    }
}
