import Foundation
import OCI
import Registry
import Testing
import TestSupport

/// The Docker token protocol against a real registry: distribution with `auth.token`, whose
/// tokens come from the harness's token service (`scripts/token-server.py`).
@Suite("Bearer token auth against a token-auth registry", .enabled(if: Harness.isUp))
struct BearerTokenTests {
    let registry: String
    let user: String
    let password: String
    var credentials: String { "\(user):\(password)" }

    init() throws {
        registry = try Harness.tokenRegistry()
        user = try Harness.tokenUser()
        password = try Harness.tokenPassword()
    }

    var fixture: String { get throws { "\(try Harness.registry())/fixtures/multilayer:v1" } }

    var fixtureDigest: String {
        get async throws { try await Skopeo.manifestDigest("docker://\(try fixture)") }
    }

    @Test("smimg copy pushes into a token-auth registry with --dest-creds and pulls from it with --src-creds")
    func copyIntoAndOutOf() async throws {
        let repository = uniqueRepository("token-copy") + "/img"
        let target = "\(registry)/\(repository):v1"
        let push = try await Command.smimg(["copy", try fixture, target, "--dest-creds", credentials])
        #expect(push.status == 0, "\(push.output)")
        #expect(try await Skopeo.manifestDigest("docker://\(target)", extra: ["--creds", credentials]) == (try await fixtureDigest))

        let pulled = "\(try Harness.registry2())/\(uniqueRepository("token-pulled"))/img:v1"
        let pull = try await Command.smimg(["copy", target, pulled, "--src-creds", credentials])
        #expect(pull.status == 0, "\(pull.output)")
        #expect(try await Skopeo.manifestDigest("docker://\(pulled)") == (try await fixtureDigest))
        // The fixture skopeo pushed through the token service is readable too.
        let digest = try await Command.smimg(["digest", "\(registry)/fixtures/multilayer:v1", "--creds", credentials])
        #expect(digest.status == 0, "\(digest.output)")
        #expect(digest.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == (try await fixtureDigest))
    }

    @Test("a multi-layer copy fetches one token per scope set, not one per request")
    func tokensAreReused() async throws {
        let repository = uniqueRepository("token-reuse") + "/img"
        let target = "\(registry)/\(repository):v1"
        let before = try TokenServer.stats()
        #expect(before.requests(for: repository) == 0)
        let push = try await Command.smimg(["copy", try fixture, target, "--dest-creds", credentials])
        #expect(push.status == 0, "\(push.output)")
        let afterPush = try TokenServer.stats()

        let pulled = "\(try Harness.registry2())/\(uniqueRepository("token-reuse-pulled"))/img:v1"
        let pull = try await Command.smimg(["copy", target, pulled, "--src-creds", credentials])
        #expect(pull.status == 0, "\(pull.output)")
        let afterPull = try TokenServer.stats()

        // The push checks 5 blobs, uploads them (POST + PUT each) and puts a manifest: about 16
        // registry requests in two scope sets (pull; pull,push). The pull reads a manifest and
        // 5 blobs with one scope set.
        let pushTokens = afterPush.requests(for: repository)
        let pullTokens = afterPull.requests(for: repository) - pushTokens
        let pushRequests = try registryRequests(repository: repository, in: try logLines())
        #expect(pushTokens >= 1 && pushTokens <= 3, "token requests for the push: \(afterPush.scopeSets(naming: repository))")
        #expect(pullTokens >= 1 && pullTokens <= 2, "token requests for the pull: \(afterPull.scopeSets(naming: repository))")
        #expect(pushRequests >= 4 * (pushTokens + pullTokens), "\(pushRequests) registry requests, \(pushTokens + pullTokens) tokens")
        // Each scope set was asked for once per smimg run: concurrent layers share a token.
        for (set, count) in afterPull.scopeSets(naming: repository) {
            #expect(count <= 2, "scope set \(set) requested \(count) times in two runs")
        }
    }

    @Test("a wrong password fails with exit 2, names the registry, and leaves no tag")
    func wrongPassword() async throws {
        let repository = "\(registry)/\(uniqueRepository("token-wrong"))/img"
        let wrong = "wrong-\(UUID().uuidString)"
        let result = try await Command.smimg(["copy", try fixture, "\(repository):v1", "--dest-creds", "\(user):\(wrong)"])
        #expect(result.status == 2, "\(result.output)")
        #expect(result.stderr.contains("authentication to \(registry)"), "\(result.stderr)")
        #expect(!result.output.contains(wrong))
        #expect(try await !Skopeo.hasTag(repository, "v1", extra: ["--creds", credentials]))
    }

    @Test("no credentials for a registry whose token service grants anonymous users nothing: exit 2, no credentials")
    func missingCredentials() async throws {
        let before = try TokenServer.stats()
        let result = try await Command.smimg(
            ["digest", "\(registry)/fixtures/multilayer:v1"],
            environment: ["DOCKER_CONFIG": "/nonexistent", "HOME": "/nonexistent", "REGISTRY_AUTH_FILE": "", "XDG_RUNTIME_DIR": ""])
        #expect(result.status == 2, "\(result.output)")
        #expect(result.stderr.contains("no credentials"), "\(result.stderr)")
        #expect(result.stderr.contains(registry), "\(result.stderr)")
        // smimg did ask the token service (anonymously): the registry, not smimg, said no.
        let after = try TokenServer.stats()
        #expect((after.grants(for: "fixtures/multilayer")["anonymous"] ?? 0) > (before.grants(for: "fixtures/multilayer")["anonymous"] ?? 0))
    }

    @Test("--verbose output of a token-auth copy shows no password and none of the issued tokens")
    func verboseShowsNoToken() async throws {
        let repository = uniqueRepository("token-verbose") + "/img"
        let target = "\(registry)/\(repository):v1"
        let result = try await Command.smimg(["copy", "--verbose", "--json", try fixture, target, "--dest-creds", credentials])
        #expect(result.status == 0, "\(result.output)")
        #expect(result.stderr.contains("PUT"), "verbose output lists requests")
        let stats = try TokenServer.stats()
        #expect(stats.requests(for: repository) >= 1, "the copy fetched tokens")
        #expect(!stats.issuedTokens.isEmpty)
        for token in stats.issuedTokens {
            #expect(!result.output.contains(token), "an issued token appears in the output")
            // Nor any of its parts (a JWT's signature alone is the secret part).
            if let signature = token.split(separator: ".").last {
                #expect(!result.output.contains(signature))
            }
        }
        #expect(!result.output.contains(password))
        #expect(!result.output.contains(Data(credentials.utf8).base64EncodedString()))
        #expect(!result.output.contains("Bearer "))
        #expect(!result.output.contains("Basic "))
    }

    @Test("an expired token is renewed transparently between two requests of one transport")
    func expiredTokenIsRenewed() async throws {
        let shortLived = try Harness.require("SMIMG_TEST_TOKEN_SHORT_LIVED_PREFIX")
        let lifetime = Int(try Harness.require("SMIMG_TEST_TOKEN_SHORT_EXPIRES_IN")) ?? 3
        let repository = shortLived + uniqueRepository("renew") + "/img"
        let push = try await Command.smimg(["copy", try fixture, "\(registry)/\(repository):v1", "--dest-creds", credentials])
        #expect(push.status == 0, "\(push.output)")

        let transport = RegistryTransport(credentials: StaticCredentialSource(
            registry: registry, credentials: RegistryCredentials(username: user, password: password)))
        let client = RegistryClient(transport: transport)
        do {
            let reference = try ImageReference(parsing: "\(registry)/\(repository):v1")
            let manifest = try await client.manifest(reference)
            #expect(manifest.digest.description == (try await fixtureDigest))
            guard case .image(let image) = try manifest.content(), let layer = image.layers.first else {
                Issue.record("the fixture is not an image manifest with layers")
                await transport.shutdown()
                return
            }
            let fetchesBefore = await transport.tokenFetchCount(registry: registry)
            let serverBefore = try TokenServer.stats().requests(for: repository)
            let rejectedBefore = try rejections(repository: repository)
            #expect(fetchesBefore == 1)

            // The registry now refuses the token; the next request must get a new one by itself.
            try await Task.sleep(for: .seconds(lifetime + 1))
            var hasher = DigestHasher()
            for try await chunk in try await client.blob(reference, descriptor: layer) { hasher.update(chunk) }
            #expect(hasher.finalize() == layer.digest)
            #expect(try await client.manifest(reference).digest == manifest.digest)

            let fetchesAfter = await transport.tokenFetchCount(registry: registry)
            #expect(fetchesAfter == fetchesBefore + 1, "one renewal, then the new token is reused")
            #expect(try TokenServer.stats().requests(for: repository) == serverBefore + 1)
            #expect(try rejections(repository: repository) == rejectedBefore + 1, "the registry rejected the expired token once")

            // The 401 named this repository's scope; a later token for another repository
            // asks for that repository only.
            let other = try ImageReference(parsing: "\(registry)/fixtures/multilayer:v1")
            #expect(try await client.manifest(other).digest == manifest.digest)
            let mixed = try TokenServer.stats().scopeSets(naming: repository).keys.filter { $0.contains("fixtures/multilayer") }
            #expect(mixed.isEmpty, "token requests mixing scopes of two repositories: \(mixed)")
        } catch {
            await transport.shutdown()
            throw error
        }
        await transport.shutdown()
    }

    @Test("a token that expires during a slow blob upload is renewed and the copy completes")
    func tokenExpiresMidCopy() async throws {
        let shortLived = try Harness.require("SMIMG_TEST_TOKEN_SHORT_LIVED_PREFIX")
        let lifetime = Int(try Harness.require("SMIMG_TEST_TOKEN_SHORT_EXPIRES_IN")) ?? 3
        let repository = shortLived + uniqueRepository("midcopy") + "/img"
        // The proxy holds the first blob upload until the token it carries has expired.
        let proxy = try FaultProxy(upstream: registry, mode: "delay-upload", extra: ["--delay", "\(lifetime + 1)"])
        defer { proxy.stop() }
        let result = try await Command.smimg(["copy", try fixture, "\(proxy.address)/\(repository):v1", "--dest-creds", credentials])
        #expect(result.status == 0, "\(result.output)")
        #expect(try proxy.stats()["faults_injected"] as? Int == 1)
        let refusedUploads = try logLines().filter {
            $0.contains("\"PUT /v2/\(repository)/blobs/uploads/") && $0.contains(" HTTP/1.1\" 401 ")
        }
        #expect(refusedUploads.count == 1, "the registry refused the held upload's expired token")
        #expect(try await Skopeo.manifestDigest("docker://\(registry)/\(repository):v1", extra: ["--creds", credentials]) == (try await fixtureDigest))
    }

    @Test("a copy between two repositories of the token registry mounts blobs with a token for both")
    func crossRepositoryMount() async throws {
        let source = "\(registry)/\(uniqueRepository("token-mount-src"))/img:v1"
        let target = uniqueRepository("token-mount-dst") + "/img"
        let first = try await Command.smimg(["copy", try fixture, source, "--dest-creds", credentials])
        #expect(first.status == 0, "\(first.output)")
        let second = try await Command.smimg(["copy", source, "\(registry)/\(target):v1", "--src-creds", credentials, "--dest-creds", credentials])
        #expect(second.status == 0, "\(second.output)")
        #expect(try await Skopeo.manifestDigest("docker://\(registry)/\(target):v1", extra: ["--creds", credentials]) == (try await fixtureDigest))
        let lines = try logLines()
        let mounted = lines.filter { $0.contains("\"POST /v2/\(target)/blobs/uploads/?mount=") && $0.contains(" HTTP/1.1\" 201 ") }
        #expect(mounted.count == 5, "blobs mounted (4 layers and the config)")
        #expect(try registryRequests(repository: target, in: lines, status: "401") == 0, "no request was refused")
    }

    @Test("an identitytoken in docker's config.json is exchanged with the OAuth2 refresh-token grant")
    func identityTokenRefreshGrant() async throws {
        let refreshToken = try TokenServer.refreshToken(user: user, password: password)
        let directory = try TemporaryDirectory("token-identity")
        defer { directory.remove() }
        // As docker writes it after a login that returned an identity token: no password.
        let auth = Data("\(user):".utf8).base64EncodedString()
        try #"{"auths": {"\#(registry)": {"auth": "\#(auth)", "identitytoken": "\#(refreshToken)"}}}"#
            .write(to: directory.appending("config.json"), atomically: true, encoding: .utf8)
        let environment = ["DOCKER_CONFIG": directory.path, "HOME": directory.path]

        let repository = uniqueRepository("token-identity") + "/img"
        let target = "\(registry)/\(repository):v1"
        let push = try await Command.smimg(["copy", "--verbose", try fixture, target], environment: environment)
        #expect(push.status == 0, "\(push.output)")
        #expect(!push.output.contains(refreshToken))
        let grants = try TokenServer.stats().grants(for: repository)
        #expect((grants["refresh_token"] ?? 0) >= 1, "\(grants)")
        #expect(Set(grants.keys) == ["refresh_token"], "only the refresh-token grant was used: \(grants)")
        #expect(try await Skopeo.manifestDigest("docker://\(target)", extra: ["--creds", credentials]) == (try await fixtureDigest))

        // A refresh token the service never issued is rejected like a wrong password.
        try #"{"auths": {"\#(registry)": {"auth": "\#(auth)", "identitytoken": "not-a-refresh-token"}}}"#
            .write(to: directory.appending("config.json"), atomically: true, encoding: .utf8)
        let rejected = try await Command.smimg(["digest", target], environment: environment)
        #expect(rejected.status == 2, "\(rejected.output)")
        #expect(rejected.stderr.contains("authentication to \(registry)"), "\(rejected.stderr)")
    }

    // MARK: The token registry's access log

    func logLines() throws -> [Substring] {
        let path = try Harness.require("SMIMG_TEST_TOKEN_REGISTRY_LOG")
        return try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
    }

    /// Access-log lines for requests to a repository (`"METHOD /v2/REPO/... HTTP/1.1" STATUS`).
    func registryRequests(repository: String, in lines: [Substring], status: String? = nil) throws -> Int {
        lines.filter { line in
            line.contains(" /v2/\(repository)/") && line.contains(" HTTP/1.1\" ")
                && (status.map { line.contains(" HTTP/1.1\" \($0) ") } ?? true)
        }.count
    }

    func rejections(repository: String) throws -> Int {
        try registryRequests(repository: repository, in: try logLines(), status: "401")
    }
}
