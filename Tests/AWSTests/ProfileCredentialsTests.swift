import AsyncHTTPClient
import Foundation
import Testing

@testable import AWS

struct ProfileCredentialsTests {
    func resolve(_ files: SharedFiles, profile: String? = nil, environment: [String: String] = [:]) async throws
        -> CredentialResolution
    {
        try await withHTTPClient { (httpClient: HTTPClient) async throws in
            try await ProfileCredentialsProvider(
                profile: profile, environment: files.environment(environment), httpClient: httpClient
            ).resolve()
        }
    }

    func credentials(_ resolution: CredentialResolution) -> AWSCredentials? {
        if case .resolved(let credentials) = resolution { return credentials }
        return nil
    }

    @Test("keys in the credentials file win over keys in the config file")
    func credentialsFileKeysWin() async throws {
        let files = try SharedFiles(
            config: "[profile dev]\naws_access_key_id = AKIDCONFIG\naws_secret_access_key = s1\n",
            credentials: "[dev]\naws_access_key_id = AKIDCREDS\naws_secret_access_key = s2\naws_session_token = t2\n")
        defer { files.remove() }
        let result = credentials(try await resolve(files, profile: "dev"))
        #expect(result == AWSCredentials(accessKeyId: "AKIDCREDS", secretAccessKey: "s2", sessionToken: "t2"))
    }

    @Test("credential_process output (Version 1) becomes the profile's credentials")
    func credentialProcessSuppliesCredentials() async throws {
        let files = try SharedFiles()
        defer { files.remove() }
        let script = try files.write(
            "helper.sh",
            #"printf '{"Version": 1, "AccessKeyId": "AKIDPROCESS", "SecretAccessKey": "processSecret", "SessionToken": "processToken", "Expiration": "2030-01-02T03:04:05Z"}'"#
        )
        try "[profile proc]\ncredential_process = /bin/sh \(script)\nregion = cn-north-1\n"
            .write(to: files.directory.appendingPathComponent("config"), atomically: true, encoding: .utf8)
        let result = try #require(credentials(try await resolve(files, profile: "proc")))
        #expect(result.accessKeyId == "AKIDPROCESS")
        #expect(result.secretAccessKey == "processSecret")
        #expect(result.sessionToken == "processToken")
        #expect(result.expiration == ISO8601Timestamp.parse("2030-01-02T03:04:05Z"))
    }

    @Test("a credential_process that fails is reported with its status and stderr, never its stdout")
    func failingCredentialProcessIsReported() async throws {
        let provider = ProcessCredentialsProvider(
            command: #"printf '{"SecretAccessKey": "leakedSecret"}'; echo "token expired, run login" >&2; exit 3"#,
            profileName: "broken")
        do {
            _ = try await provider.credentials()
            Issue.record("expected a failure")
        } catch let error as CredentialsError {
            #expect(error.description.contains("exited with status 3"))
            #expect(error.description.contains("token expired, run login"))
            #expect(!error.description.contains("leakedSecret"))
        }
    }

    @Test("credential_process output must be Version 1 JSON with both keys", arguments: [
        (#"{"Version": 2, "AccessKeyId": "A", "SecretAccessKey": "S"}"#, "only Version 1"),
        (#"{"AccessKeyId": "A", "SecretAccessKey": "S"}"#, "no Version"),
        (#"{"Version": 1, "AccessKeyId": "A"}"#, "lacks AccessKeyId or SecretAccessKey"),
        (#"not json at all, secretish"#, "not the expected JSON"),
        (#"{"Version": 1, "AccessKeyId": "A", "SecretAccessKey": "S", "Expiration": "tomorrow"}"#, "not an ISO 8601 time"),
    ])
    func invalidProcessOutputIsRejected(output: String, expected: String) {
        do {
            _ = try ProcessCredentialsProvider.parseOutput(Data(output.utf8), profile: "p")
            Issue.record("expected a failure")
        } catch let error as CredentialsError {
            #expect(error.description.contains(expected), "\(error)")
            #expect(!error.description.contains("secretish"))
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    @Test("a credential_process that hangs is stopped after the timeout")
    func hangingCredentialProcessTimesOut() async throws {
        // A child that would run for 5 minutes; stopped after half a second. The bound below
        // leaves room for a loaded machine while still proving the child did not run its course.
        let provider = ProcessCredentialsProvider(command: "sleep 300", profileName: "slow", timeout: 0.5)
        let started = Date()
        do {
            _ = try await provider.credentials()
            Issue.record("expected a timeout")
        } catch let error as CredentialsError {
            #expect(error.description.contains("still running after"), "\(error)")
        }
        #expect(Date().timeIntervalSince(started) < 60)
    }

    @Test("an explicitly chosen profile that does not exist is an error; a missing default is not")
    func missingProfiles() async throws {
        let files = try SharedFiles(config: "[profile other]\nregion = us-east-1\n")
        defer { files.remove() }
        await #expect(throws: CredentialsError.self) { _ = try await resolve(files, profile: "nope") }
        await #expect(throws: CredentialsError.self) { _ = try await resolve(files, environment: ["AWS_PROFILE": "nope"]) }
        guard case .notApplicable(let reason) = try await resolve(files) else {
            Issue.record("a missing default profile should not apply")
            return
        }
        #expect(reason.contains("no [default] profile"))
    }

    @Test("profile set-ups that cannot work give clear errors", arguments: [
        ("[profile a]\nrole_arn = arn:aws:iam::1:role/r\n", "a", "role_arn needs source_profile"),
        ("[profile a]\nrole_arn = arn:aws:iam::1:role/r\nsource_profile = b\n[profile b]\nrole_arn = arn:aws:iam::1:role/r\nsource_profile = a\n", "a", "source_profile loop"),
        ("[profile a]\nrole_arn = arn:aws:iam::1:role/r\nsource_profile = missing\n", "a", "source_profile 'missing' does not exist"),
        ("[profile a]\nrole_arn = arn:aws:iam::1:role/r\ncredential_source = Somewhere\n", "a", "is not one of Environment"),
        ("[profile a]\nsso_session = corp\nsso_account_id = 1\n", "a", "IAM Identity Center (SSO)"),
        ("[profile a]\nrole_arn = arn:aws:iam::1:role/r\nsource_profile = b\nmfa_serial = arn:aws:iam::1:mfa/u\n[profile b]\naws_access_key_id = A\naws_secret_access_key = S\n", "a", "mfa_serial"),
    ])
    func unworkableProfilesAreExplained(config: String, profile: String, expected: String) async throws {
        let files = try SharedFiles(config: config)
        defer { files.remove() }
        do {
            _ = try await resolve(files, profile: profile)
            Issue.record("expected a failure")
        } catch let error as CredentialsError {
            #expect(error.description.contains(expected), "\(error)")
        }
    }
}
