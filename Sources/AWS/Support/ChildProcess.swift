import Foundation

/// Runs a program to completion with bounded output and a time limit (for
/// `credential_process`).
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
        let handles = Handles()
        handles.process.executableURL = URL(fileURLWithPath: executable)
        handles.process.arguments = arguments
        handles.process.environment = environment
        handles.process.standardOutput = handles.stdout
        handles.process.standardError = handles.stderr
        handles.process.standardInput = FileHandle.nullDevice
        try handles.process.run()

        let flags = Flags()
        DispatchQueue.global().asyncAfter(deadline: .now() + timeout) {
            if !flags.finished && handles.process.isRunning {
                flags.timedOut = true
                handles.process.terminate()
            }
        }

        return await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                let errorOutput = Flags()
                let group = DispatchGroup()
                group.enter()
                DispatchQueue.global().async {
                    errorOutput.data = read(handles.stderr.fileHandleForReading, limit: maxOutputBytes) {}
                    group.leave()
                }
                let output = read(handles.stdout.fileHandleForReading, limit: maxOutputBytes) {
                    flags.outputTooLarge = true
                    handles.process.terminate()
                }
                group.wait()
                handles.process.waitUntilExit()
                flags.finished = true
                continuation.resume(
                    returning: Result(
                        status: handles.process.terminationStatus, stdout: output, stderr: errorOutput.data,
                        timedOut: flags.timedOut, outputTooLarge: flags.outputTooLarge))
            }
        }
    }

    /// Reads to end of file, keeping at most `limit` bytes; calls `overflow` once when exceeded
    /// and keeps draining so the child never blocks on a full pipe.
    private static func read(_ handle: FileHandle, limit: Int, overflow: () -> Void) -> Data {
        var data = Data()
        var overflowed = false
        while true {
            let chunk = handle.availableData
            if chunk.isEmpty { break }
            if data.count + chunk.count <= limit {
                data.append(chunk)
            } else if !overflowed {
                overflowed = true
                overflow()
            }
        }
        return data
    }

    /// The process and its pipes, shared with the reader threads.
    private final class Handles: @unchecked Sendable {
        let process = Process()
        let stdout = Pipe()
        let stderr = Pipe()
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
