import Foundation
import Testing
import TestSupport

/// Passwords and tokens never appear in smimg's output, even with --verbose and on failure.
@Suite("Secrets stay secret", .enabled(if: Harness.isUp))
struct SecretHygieneTests {
    @Test("verbose output of a successful authenticated copy shows no credential")
    func verboseCopyShowsNoSecret() async throws {
        let user = try Harness.authUser(), password = try Harness.authPassword()
        let target = "\(try Harness.authRegistry())/\(uniqueRepository("secret"))/img:v1"
        let result = try await Command.smimg(["copy", "--verbose", "--json", "--dest-creds", "\(user):\(password)", "\(try Harness.registry())/fixtures/multilayer:v1", target])
        #expect(result.status == 0, "\(result.output)")
        #expect(result.stderr.contains("PUT"), "verbose output lists requests")
        try Self.expectNoSecret(in: result.output, user: user, password: password)
    }

    @Test("a rejected password is not echoed in the error")
    func failureShowsNoSecret() async throws {
        let user = try Harness.authUser()
        let wrong = "wrong-\(UUID().uuidString)"
        let result = try await Command.smimg(["copy", "--verbose", "--json", "--dest-creds", "\(user):\(wrong)", "\(try Harness.registry())/fixtures/multilayer:v1", "\(try Harness.authRegistry())/x/y:z"])
        #expect(result.status == 2)
        try Self.expectNoSecret(in: result.output, user: user, password: wrong)
    }

    static func expectNoSecret(in output: String, user: String, password: String) throws {
        #expect(!output.contains(password))
        #expect(!output.contains(Data("\(user):\(password)".utf8).base64EncodedString()))
        #expect(!output.contains("Authorization:"))
        #expect(!output.contains("Basic "))
    }
}
