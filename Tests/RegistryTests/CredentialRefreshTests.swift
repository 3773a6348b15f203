import Foundation
import OCI
@testable import Registry
import Testing
import TestSupport

/// A registry that rejects credentials mid-way (an ECR token that expired during a long
/// transfer) makes the client ask its credential source again and retry once.
@Suite("Credential refresh", .enabled(if: Harness.isUp))
struct CredentialRefreshTests {
    /// Hands out a stale password first, the right one after being told it was rejected.
    actor RotatingCredentials: CredentialSource {
        let user: String
        let password: String
        var invalidations = 0

        init(user: String, password: String) {
            self.user = user
            self.password = password
        }

        func credentials(for registry: String) async throws -> RegistryCredentials? {
            RegistryCredentials(username: user, password: invalidations == 0 ? "expired-token" : password)
        }

        func invalidate(registry: String) async {
            invalidations += 1
        }
    }

    @Test("a 401 makes the client fetch new credentials and retry once")
    func unauthorizedTriggersRefresh() async throws {
        let source = RotatingCredentials(user: try Harness.authUser(), password: try Harness.authPassword())
        let transport = RegistryTransport(credentials: source)
        defer { Task { await transport.shutdown() } }
        let client = RegistryClient(transport: transport)
        let reference = try ImageReference(parsing: "\(try Harness.authRegistry())/fixtures/multilayer:v1")
        let manifest = try await client.manifest(reference)
        #expect(manifest.digest.description == (try Harness.require("SMIMG_TEST_FIXTURE_MULTILAYER_DIGEST")))
        #expect(await source.invalidations == 1)
        await transport.shutdown()
    }

    @Test("credentials still rejected after the refresh are an authentication error")
    func persistentRejection() async throws {
        let transport = RegistryTransport(credentials: StaticCredentialSource(
            registry: nil, credentials: RegistryCredentials(username: "smimg", password: "never-right")))
        let client = RegistryClient(transport: transport)
        let reference = try ImageReference(parsing: "\(try Harness.authRegistry())/fixtures/multilayer:v1")
        await #expect(throws: RegistryError.self) { _ = try await client.manifest(reference) }
        await transport.shutdown()
    }
}
