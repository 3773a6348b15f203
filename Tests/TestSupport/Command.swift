import Foundation

/// Runs a program to completion and captures what it printed: for checking smimg's output with
/// independent clients (skopeo, umoci) and for running the smimg binary itself.
public struct CommandResult: Sendable {
    public var status: Int32
    public var stdout: String
    public var stderr: String
    public var output: String { stdout + stderr }
}

public enum Command {
    /// Runs `arguments[0]` (looked up on PATH) with the rest as arguments.
    @discardableResult
    public static func run(
        _ arguments: [String], environment: [String: String] = [:], stdin: String? = nil,
        currentDirectory: URL? = nil
    ) throws -> CommandResult {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        for (key, value) in environment { env[key] = value }
        process.environment = env
        if let currentDirectory { process.currentDirectoryURL = currentDirectory }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        let input = Pipe()
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try input.fileHandleForWriting.close()
        // Read both pipes concurrently so a full pipe cannot block the child.
        let errData = DataBox()
        let reader = Thread { errData.data = err.fileHandleForReading.readDataToEndOfFile() }
        reader.start()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        while !errData.done { usleep(1000) }
        return CommandResult(
            status: process.terminationStatus,
            stdout: String(decoding: outData, as: UTF8.self),
            stderr: String(decoding: errData.data, as: UTF8.self))
    }

    /// Runs and throws with the output when the program fails.
    @discardableResult
    public static func check(_ arguments: [String], environment: [String: String] = [:]) throws -> CommandResult {
        let result = try run(arguments, environment: environment)
        guard result.status == 0 else {
            throw CommandError.failed(arguments.joined(separator: " "), result.status, result.output)
        }
        return result
    }

    // Async forms: the wait happens on a thread of its own, so a test waiting for a long
    // command does not hold one of the few threads Swift's concurrency runs everything on.

    @discardableResult
    public static func run(
        _ arguments: [String], environment: [String: String] = [:], stdin: String? = nil,
        currentDirectory: URL? = nil
    ) async throws -> CommandResult {
        try await onOwnThread { try run(arguments, environment: environment, stdin: stdin, currentDirectory: currentDirectory) as CommandResult }
    }

    @discardableResult
    public static func check(_ arguments: [String], environment: [String: String] = [:]) async throws -> CommandResult {
        try await onOwnThread { try check(arguments, environment: environment) as CommandResult }
    }

    @discardableResult
    public static func smimg(_ arguments: [String], environment: [String: String] = [:], stdin: String? = nil) async throws -> CommandResult {
        try await onOwnThread { try smimg(arguments, environment: environment, stdin: stdin) as CommandResult }
    }

    public static func onOwnThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread { continuation.resume(with: Result { try body() }) }
        }
    }

    /// The smimg binary built by `swift build` (`SMIMG_BIN` overrides).
    public static var smimgPath: String {
        if let path = Harness.value("SMIMG_BIN") { return path }
        return Harness.packageRoot.appendingPathComponent(".build/debug/smimg").path
    }

    /// Runs smimg with the given arguments.
    @discardableResult
    public static func smimg(_ arguments: [String], environment: [String: String] = [:], stdin: String? = nil) throws -> CommandResult {
        try run([smimgPath] + arguments, environment: environment, stdin: stdin)
    }
}

final class DataBox: @unchecked Sendable {
    private let lock = NSLock()
    private var stored = Data()
    private var isDone = false
    var data: Data {
        get { lock.withLock { stored } }
        set { lock.withLock { stored = newValue; isDone = true } }
    }
    var done: Bool { lock.withLock { isDone } }
}

public enum CommandError: Error, CustomStringConvertible {
    case failed(String, Int32, String)
    public var description: String {
        switch self {
        case .failed(let command, let status, let output):
            return "`\(command)` exited \(status):\n\(output)"
        }
    }
}
