import Foundation
@testable import Registry
import Testing
import TestSupport

@Suite("Credentials")
struct CredentialTests {
    @Test("descriptions of credentials never show the password")
    func descriptionHidesSecret() throws {
        let credentials = try RegistryCredentials(parsing: "alice:s3cr3t-PASSWORD")
        #expect(credentials.username == "alice")
        #expect(credentials.password == "s3cr3t-PASSWORD")
        for text in [credentials.description, credentials.debugDescription, String(describing: credentials), "\(credentials)"] {
            #expect(!text.contains("s3cr3t"))
        }
    }

    @Test("USER:PASSWORD without a user is refused")
    func malformed() {
        #expect(throws: CredentialError.self) { try RegistryCredentials(parsing: ":x") }
        #expect(throws: CredentialError.self) { try RegistryCredentials(parsing: "nocolon") }
    }

    @Test("docker config auths entries are found by host, and Docker Hub by its historic key")
    func dockerConfigAuths() async throws {
        let directory = try TemporaryDirectory("dockercfg")
        defer { directory.remove() }
        let hub = Data("hubuser:hubpass".utf8).base64EncodedString()
        let local = Data("me:pw:with:colons".utf8).base64EncodedString()
        try """
        {"auths": {"https://index.docker.io/v1/": {"auth": "\(hub)"},
                   "http://127.0.0.1:5000": {"auth": "\(local)"},
                   "plain.example": {"username": "u", "password": "p"}}}
        """.write(to: directory.appending("config.json"), atomically: true, encoding: .utf8)
        let source = try DockerConfigCredentialSource(environment: ["DOCKER_CONFIG": directory.path, "HOME": "/nonexistent"])
        #expect(try await source.credentials(for: "docker.io")?.username == "hubuser")
        let localCredentials = try await source.credentials(for: "127.0.0.1:5000")
        #expect(localCredentials?.password == "pw:with:colons")
        #expect(try await source.credentials(for: "plain.example")?.password == "p")
        #expect(try await source.credentials(for: "unknown.example") == nil)
    }

    @Test("credHelpers run docker-credential-NAME get with the host on stdin")
    func credentialHelper() async throws {
        let directory = try TemporaryDirectory("credhelper")
        defer { directory.remove() }
        let helper = directory.appending("docker-credential-smimgtest")
        try """
        #!/bin/sh
        read host
        if [ "$host" = "helped.example" ]; then
          printf '{"ServerURL":"%s","Username":"helper-user","Secret":"helper-secret"}' "$host"
        else
          echo "credentials not found in native keychain"; exit 1
        fi
        """.write(to: helper, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: helper.path)
        try #"{"credHelpers": {"helped.example": "smimgtest"}, "credsStore": "smimgtest"}"#
            .write(to: directory.appending("config.json"), atomically: true, encoding: .utf8)
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        setenv("PATH", "\(directory.path):\(path)", 1)
        defer { setenv("PATH", path, 1) }
        let source = try DockerConfigCredentialSource(environment: ["DOCKER_CONFIG": directory.path, "HOME": "/nonexistent"])
        let found = try await source.credentials(for: "helped.example")
        #expect(found?.username == "helper-user")
        #expect(found?.password == "helper-secret")
        // The default store answers "not found" for other hosts: anonymous, not an error.
        #expect(try await source.credentials(for: "other.example") == nil)
    }

    @Test("an explicit authfile that does not exist is an error naming it")
    func missingAuthfile() {
        #expect(throws: CredentialError.self) {
            try DockerConfigCredentialSource(explicitPath: "/nonexistent/config.json", environment: [:])
        }
    }
}

@Suite("Retry policy")
struct RetryPolicyTests {
    @Test("delays grow exponentially, stay under the cap, and honour Retry-After")
    func delays() {
        let policy = RetryPolicy(maxAttempts: 5, baseDelay: .milliseconds(100), maxDelay: .seconds(1))
        for attempt in 1...8 {
            let delay = policy.delay(afterAttempt: attempt)
            #expect(delay <= .seconds(1))
            #expect(delay >= .milliseconds(10))
        }
        #expect(policy.delay(afterAttempt: 1, retryAfter: .seconds(2)) == .seconds(2))
    }

    @Test("transient errors are retried until the attempts run out; final errors are not")
    func retriesTransientOnly() async throws {
        let policy = RetryPolicy(maxAttempts: 3, baseDelay: .milliseconds(1), maxDelay: .milliseconds(2))
        let counter = Counter()
        await #expect(throws: RegistryError.self) {
            try await policy.run { _ in
                await counter.increment()
                throw RegistryError.unavailable(operation: "x", registry: "r", status: 503, retryAfter: nil)
            }
        }
        #expect(await counter.value == 3)
        let finalCounter = Counter()
        await #expect(throws: RegistryError.self) {
            try await policy.run { _ in
                await finalCounter.increment()
                throw RegistryError.unauthorized(registry: "r", repository: nil, detail: "no")
            }
        }
        #expect(await finalCounter.value == 1)
    }
}

actor Counter {
    var value = 0
    func increment() { value += 1 }
}
