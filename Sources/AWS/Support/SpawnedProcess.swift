#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// A child process started with `posix_spawn` in its own process group, with every signal
/// unblocked and at its default action.
///
/// Foundation's `Process` passes on the spawning thread's signal mask, and the threads Swift
/// concurrency runs on block nearly every signal, so a child started from async code ignores
/// `terminate()`. Here the mask is reset, and `kill()` signals the whole group, so helpers
/// that `credential_process` starts (and that hold its output pipe) go too.
final class SpawnedProcess: @unchecked Sendable {
    let pid: pid_t
    /// Read ends of the child's stdout and stderr (when captured).
    let standardOutput: Int32?
    let standardError: Int32?
    private let lock = NSLock()
    private var exitStatus: Int32?

    private init(pid: pid_t, standardOutput: Int32?, standardError: Int32?) {
        self.pid = pid
        self.standardOutput = standardOutput
        self.standardError = standardError
    }

    struct SpawnError: Error, CustomStringConvertible {
        var executable: String
        var code: Int32
        var description: String { "cannot start \(executable): \(String(cString: strerror(code)))" }
    }

    /// Starts `executable` (an absolute path) with stdin from /dev/null; stdout and stderr go to
    /// pipes when `captureOutput`, else to /dev/null.
    static func spawn(
        executable: String, arguments: [String], environment: [String: String], captureOutput: Bool
    ) throws -> SpawnedProcess {
        var outputPipe: [Int32] = [-1, -1]
        var errorPipe: [Int32] = [-1, -1]
        if captureOutput {
            guard makePipe(&outputPipe) else { throw SpawnError(executable: executable, code: errno) }
            guard makePipe(&errorPipe) else {
                let code = errno
                close(outputPipe[0])
                close(outputPipe[1])
                throw SpawnError(executable: executable, code: code)
            }
        }

        #if canImport(Darwin)
        var attributes: posix_spawnattr_t? = nil
        var actions: posix_spawn_file_actions_t? = nil
        #else
        var attributes = posix_spawnattr_t()
        var actions = posix_spawn_file_actions_t()
        #endif
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var unblocked = sigset_t()
        sigemptyset(&unblocked)
        posix_spawnattr_setsigmask(&attributes, &unblocked)
        var defaults = sigset_t()
        sigfillset(&defaults)
        sigdelset(&defaults, SIGKILL)
        sigdelset(&defaults, SIGSTOP)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(
            &attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP))

        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        if captureOutput {
            posix_spawn_file_actions_adddup2(&actions, outputPipe[1], 1)
            posix_spawn_file_actions_adddup2(&actions, errorPipe[1], 2)
        } else {
            posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
            posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        }

        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid = pid_t()
        let result = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
        if captureOutput {
            close(outputPipe[1])
            close(errorPipe[1])
        }
        guard result == 0 else {
            if captureOutput {
                close(outputPipe[0])
                close(errorPipe[0])
            }
            throw SpawnError(executable: executable, code: result)
        }
        return SpawnedProcess(
            pid: pid, standardOutput: captureOutput ? outputPipe[0] : nil,
            standardError: captureOutput ? errorPipe[0] : nil)
    }

    /// A pipe whose ends are closed on exec, so other children never inherit them (only the
    /// dup2'ed copies reach our child). `pipe2` is not exported to Swift, hence `fcntl`.
    private static func makePipe(_ fds: inout [Int32]) -> Bool {
        guard pipe(&fds) == 0 else { return false }
        _ = fcntl(fds[0], F_SETFD, FD_CLOEXEC)
        _ = fcntl(fds[1], F_SETFD, FD_CLOEXEC)
        return true
    }

    /// Sends `signal` to the child's whole process group.
    func kill(_ signal: Int32 = SIGKILL) {
        guard lock.withLock({ exitStatus == nil }) else { return }
        _ = sendSignal(-pid, signal)
    }

    /// Blocks until the child exits; returns its exit code (128 + signal when killed).
    @discardableResult
    func waitForExit() -> Int32 {
        if let status = lock.withLock({ exitStatus }) { return status }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        let code = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        lock.withLock { exitStatus = code }
        return code
    }

    /// Reads a pipe to its end, keeping at most `limit` bytes; `overflow` runs once when more
    /// arrives (the rest is drained so the child never blocks on a full pipe). Closes the pipe.
    static func readAll(_ fd: Int32, limit: Int, overflow: () -> Void) -> Data {
        var data = Data()
        var overflowed = false
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            if count <= 0 { break }
            if data.count + count <= limit {
                data.append(contentsOf: buffer[0..<count])
            } else if !overflowed {
                overflowed = true
                overflow()
            }
        }
        close(fd)
        return data
    }
}

/// `kill(2)` (the method above shadows the name).
private func sendSignal(_ pid: pid_t, _ signal: Int32) -> Int32 {
    kill(pid, signal)
}
