import Foundation

/// `credential_process` of a profile: runs the command with `/bin/sh -c` and reads
/// `{"Version": 1, "AccessKeyId", "SecretAccessKey", "SessionToken"?, "Expiration"?}` from its
/// standard output. The output is never echoed in errors.
public struct ProcessCredentialsProvider: CredentialsProvider {
    public let command: String
    public let profileName: String
    let environment: [String: String]
    let timeout: TimeInterval

    public init(
        command: String, profileName: String, environment: [String: String] = ProcessInfo.processInfo.environment,
        timeout: TimeInterval = 60
    ) {
        self.command = command
        self.profileName = profileName
        self.environment = environment
        self.timeout = timeout
    }

    public func credentials() async throws -> AWSCredentials {
        let result: ChildProcess.Result
        do {
            result = try await ChildProcess.run(
                executable: "/bin/sh", arguments: ["-c", command], environment: environment, timeout: timeout,
                maxOutputBytes: 1024 * 1024)
        } catch {
            throw CredentialsError.credentialProcessFailed(
                profile: profileName, reason: "cannot start /bin/sh: \(error.localizedDescription)")
        }
        if result.timedOut {
            throw CredentialsError.credentialProcessFailed(
                profile: profileName, reason: "still running after \(Int(timeout)) s; it was stopped")
        }
        if result.outputTooLarge {
            throw CredentialsError.credentialProcessFailed(
                profile: profileName, reason: "printed more than 1 MiB; expected a small JSON document")
        }
        guard result.status == 0 else {
            let stderr = String(decoding: result.stderr, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            let detail = stderr.isEmpty ? "" : ": \(stderr.prefix(500))"
            throw CredentialsError.credentialProcessFailed(
                profile: profileName, reason: "exited with status \(result.status)\(detail)")
        }
        return try Self.parseOutput(result.stdout, profile: profileName)
    }

    /// Decodes the process output (Version 1 only).
    public static func parseOutput(_ data: Data, profile: String) throws -> AWSCredentials {
        struct Output: Decodable {
            var Version: Int?
            var AccessKeyId: String?
            var SecretAccessKey: String?
            var SessionToken: String?
            var Expiration: String?
        }
        let output: Output
        do {
            output = try JSONDecoder().decode(Output.self, from: data)
        } catch {
            throw CredentialsError.credentialProcessFailed(
                profile: profile, reason: "its output is not the expected JSON object (Version, AccessKeyId, SecretAccessKey, …)")
        }
        guard let version = output.Version else {
            throw CredentialsError.credentialProcessFailed(profile: profile, reason: "its output has no Version")
        }
        guard version == 1 else {
            throw CredentialsError.credentialProcessFailed(
                profile: profile, reason: "its output has Version \(version); only Version 1 is supported")
        }
        guard let accessKeyId = output.AccessKeyId, !accessKeyId.isEmpty, let secret = output.SecretAccessKey,
            !secret.isEmpty
        else {
            throw CredentialsError.credentialProcessFailed(
                profile: profile, reason: "its output lacks AccessKeyId or SecretAccessKey")
        }
        var expiration: Date?
        if let text = output.Expiration {
            guard let date = ISO8601Timestamp.parse(text) else {
                throw CredentialsError.credentialProcessFailed(
                    profile: profile, reason: "its Expiration '\(text)' is not an ISO 8601 time")
            }
            expiration = date
        }
        let token = output.SessionToken.flatMap { $0.isEmpty ? nil : $0 }
        return AWSCredentials(
            accessKeyId: accessKeyId, secretAccessKey: secret, sessionToken: token, expiration: expiration)
    }
}
