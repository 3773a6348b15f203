import AsyncHTTPClient
import Foundation
import NIOCore
import NIOPosix
import TestSupport

@testable import AWS

/// A moto server started by a test on a free loopback port (for tests that change moto's
/// global state, like strict SigV4 checking), stopped with `stop()`.
final class MotoServer: Sendable {
    let endpoint: String
    private let process: SpawnedProcess

    private init(endpoint: String, process: SpawnedProcess) {
        self.endpoint = endpoint
        self.process = process
    }

    static func start(httpClient: HTTPClient) async throws -> MotoServer {
        let python = try PythonTools.interpreter(requiring: "moto")
        let port = try await freePort()
        let process = try SpawnedProcess.spawn(
            executable: python, arguments: ["-m", "moto.server", "-H", "127.0.0.1", "-p", String(port)],
            environment: ProcessInfo.processInfo.environment, captureOutput: false)
        let server = MotoServer(endpoint: "http://127.0.0.1:\(port)", process: process)
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            if let response = try? await httpClient.execute(
                HTTPClientRequest(url: server.endpoint + "/moto-api/data.json"), timeout: .seconds(2)),
                response.status == .ok
            {
                _ = try? await response.body.collect(upTo: 10 * 1024 * 1024)
                return server
            }
            try await Task.sleep(nanoseconds: 200_000_000)
        }
        server.stop()
        throw MotoError.notReady(server.endpoint)
    }

    /// Kills moto (its whole process group) and reaps it.
    func stop() {
        process.kill()
        process.waitForExit()
    }

    static func freePort() async throws -> Int {
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .bind(host: "127.0.0.1", port: 0).get()
        let port = channel.localAddress?.port ?? 0
        try await channel.close()
        guard port > 0 else { throw MotoError.noPort }
        return port
    }
}

enum MotoError: Error, CustomStringConvertible {
    case notReady(String)
    case noPort
    var description: String {
        switch self {
        case .notReady(let endpoint): return "moto did not answer at \(endpoint) within 30 s"
        case .noPort: return "no free loopback port"
        }
    }
}

/// The python3 interpreter with a given module (botocore, moto), or a clear failure.
enum PythonTools {
    static func interpreter(requiring module: String) throws -> String {
        let result: CommandResult
        do {
            result = try Command.run(["python3", "-c", "import sys, \(module); print(sys.executable)"])
        } catch {
            throw PythonToolsError.missing(module: module, detail: "python3 could not be started: \(error)")
        }
        let path = result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        guard result.status == 0, !path.isEmpty else {
            throw PythonToolsError.missing(module: module, detail: result.stderr.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        return path
    }

    /// Runs a python3 script with JSON on stdin; returns stdout or throws with stderr.
    static func run(script: String, input: String, requiring module: String) throws -> String {
        let python = try interpreter(requiring: module)
        let result = try Command.run([python, "-c", script], stdin: input)
        guard result.status == 0 else {
            throw PythonToolsError.scriptFailed(result.stderr)
        }
        return result.stdout
    }
}

enum PythonToolsError: Error, CustomStringConvertible {
    case missing(module: String, detail: String)
    case scriptFailed(String)
    var description: String {
        switch self {
        case .missing(let module, let detail):
            return "python3 with the '\(module)' module is required for this test (scripts/test-env.sh up installs moto[server], which brings botocore): \(detail)"
        case .scriptFailed(let stderr):
            return "the python3 helper script failed:\n\(stderr)"
        }
    }
}

/// The harness moto endpoint (`SMIMG_TEST_MOTO`), a clear failure when missing.
enum HarnessMoto {
    static func endpoint() throws -> String { try Harness.require("SMIMG_TEST_MOTO") }
}
