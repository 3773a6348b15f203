import Foundation

/// The loopback test environment started by `scripts/test-env.sh up`, read from the variables
/// that `scripts/test.sh` exports (see `.test-env/env`).
///
/// Tests that need it are enabled with `.enabled(if: Harness.isUp)`. When `SMIMG_TEST_REQUIRE`
/// is set (as `scripts/test.sh` does), a missing harness is a failure, not a skip.
public enum Harness {
    public static var environment: [String: String] { ProcessInfo.processInfo.environment }

    public static func value(_ name: String) -> String? {
        guard let value = environment[name], !value.isEmpty else { return nil }
        return value
    }

    /// True when the harness variables are present, or when they are required (so that the
    /// test runs and fails loudly instead of being skipped).
    public static var isUp: Bool {
        value("SMIMG_TEST_HARNESS") != nil || value("SMIMG_TEST_REQUIRE") != nil
    }

    /// A required harness variable; a clear failure when the harness is not up.
    public static func require(_ name: String) throws -> String {
        guard let value = value(name) else {
            throw HarnessError.missing(name)
        }
        return value
    }

    /// Plain-HTTP registry without auth (`127.0.0.1:PORT`).
    public static func registry() throws -> String { try require("SMIMG_TEST_REGISTRY") }
    /// A second plain registry, for copies between two registry instances.
    public static func registry2() throws -> String { try require("SMIMG_TEST_REGISTRY2") }
    /// Plain-HTTP registry with htpasswd Basic auth.
    public static func authRegistry() throws -> String { try require("SMIMG_TEST_AUTH_REGISTRY") }
    public static func authUser() throws -> String { try require("SMIMG_TEST_AUTH_USER") }
    public static func authPassword() throws -> String { try require("SMIMG_TEST_AUTH_PASSWORD") }
    /// TLS registry with a certificate from a self-signed CA (`localhost:PORT`).
    public static func tlsRegistry() throws -> String { try require("SMIMG_TEST_TLS_REGISTRY") }
    public static func tlsCAFile() throws -> String { try require("SMIMG_TEST_TLS_CA") }
    /// Plain-HTTP registry with Docker token (Bearer) auth through `scripts/token-server.py`.
    public static func tokenRegistry() throws -> String { try require("SMIMG_TEST_TOKEN_REGISTRY") }
    public static func tokenUser() throws -> String { try require("SMIMG_TEST_TOKEN_USER") }
    public static func tokenPassword() throws -> String { try require("SMIMG_TEST_TOKEN_PASSWORD") }

    /// The package root (where Package.swift is).
    public static var packageRoot: URL {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/" {
            url.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) {
                return url
            }
        }
        return URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
    }
}

public enum HarnessError: Error, CustomStringConvertible {
    case missing(String)

    public var description: String {
        switch self {
        case .missing(let name):
            return "test harness variable \(name) is not set: run the tests through scripts/test.sh, which starts the loopback registries (scripts/test-env.sh up)"
        }
    }
}
