import Foundation
import Testing
import TestSupport

/// Copies through Basic auth and TLS with a custom CA, and what happens when they are wrong.
@Suite("Copy with authentication and TLS", .enabled(if: Harness.isUp))
struct CopyAuthenticationTests {
    @Test("a copy into a Basic-auth registry succeeds with --dest-creds")
    func basicAuthCopy() async throws {
        let registry = try Harness.authRegistry()
        let creds = "\(try Harness.authUser()):\(try Harness.authPassword())"
        let target = "\(registry)/\(uniqueRepository("basic"))/img:v1"
        let result = try await Command.smimg(["copy", "\(try Harness.registry())/fixtures/multilayer:v1", target, "--dest-creds", creds])
        #expect(result.status == 0, "\(result.output)")
        #expect(try await Skopeo.manifestDigest("docker://\(target)", extra: ["--creds", creds])
            == (try await Skopeo.manifestDigest("docker://\(try Harness.registry())/fixtures/multilayer:v1")))
    }

    @Test("credentials come from a docker config.json")
    func dockerConfigCredentials() async throws {
        let registry = try Harness.authRegistry()
        let directory = try TemporaryDirectory("dockercfg")
        defer { directory.remove() }
        let auth = Data("\(try Harness.authUser()):\(try Harness.authPassword())".utf8).base64EncodedString()
        try #"{"auths": {"\#(registry)": {"auth": "\#(auth)"}}}"#.write(to: directory.appending("config.json"), atomically: true, encoding: .utf8)
        let result = try await Command.smimg(["digest", "\(registry)/fixtures/multilayer:v1"], environment: ["DOCKER_CONFIG": directory.path])
        #expect(result.status == 0, "\(result.output)")
    }

    @Test("a wrong password fails clearly, names the registry, and leaves no tag")
    func wrongPassword() async throws {
        let registry = try Harness.authRegistry()
        let repository = "\(registry)/\(uniqueRepository("wrong"))/img"
        let result = try await Command.smimg(["copy", "\(try Harness.registry())/fixtures/multilayer:v1", "\(repository):v1", "--dest-creds", "\(try Harness.authUser()):not-the-password"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("authentication to \(registry)"))
        let creds = "\(try Harness.authUser()):\(try Harness.authPassword())"
        #expect(try await !Skopeo.hasTag(repository, "v1", extra: ["--creds", creds]))
    }

    @Test("no credentials for an auth registry says none were found")
    func missingCredentials() async throws {
        let result = try await Command.smimg(["digest", "\(try Harness.authRegistry())/fixtures/multilayer:v1"], environment: ["DOCKER_CONFIG": "/nonexistent", "HOME": "/nonexistent"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("no credentials"))
    }

    @Test("TLS with a custom CA from the registries config works; without it, verification fails")
    func tlsWithCustomCA() async throws {
        let registry = try Harness.tlsRegistry()
        let directory = try TemporaryDirectory("tls")
        defer { directory.remove() }
        let config = directory.appending("registries.yml").path
        try "registries:\n  - prefix: \(registry)\n    ca_file: \(try Harness.tlsCAFile())\n".write(toFile: config, atomically: true, encoding: .utf8)
        let target = "\(registry)/\(uniqueRepository("tls"))/img:v1"
        let result = try await Command.smimg(["copy", "\(try Harness.registry())/fixtures/multilayer:v1", target, "--registries-config", config])
        #expect(result.status == 0, "\(result.output)")
        let certDir = try Harness.require("SMIMG_TEST_TLS_CERT_DIR")
        #expect(try await Skopeo.manifestDigest("docker://\(target)", extra: ["--cert-dir", certDir])
            == (try await Skopeo.manifestDigest("docker://\(try Harness.registry())/fixtures/multilayer:v1")))
        let untrusted = try await Command.smimg(["digest", target])
        #expect(untrusted.status != 0)
        #expect(untrusted.stderr.contains("TLS"))
    }
}
