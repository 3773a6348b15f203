import Foundation

/// Credentials from docker's `config.json`, the way docker finds them: `auths` entries,
/// `credHelpers` per registry and a default `credsStore`, both run as `docker-credential-NAME get`.
///
/// Files looked at, first found wins: the explicit path (`--authfile`), `$REGISTRY_AUTH_FILE`,
/// `$DOCKER_CONFIG/config.json`, `~/.docker/config.json`, `$XDG_RUNTIME_DIR/containers/auth.json`.
public struct DockerConfigCredentialSource: CredentialSource {
    struct ConfigFile: Decodable {
        struct Auth: Decodable {
            var auth: String?
            var username: String?
            var password: String?
            var identitytoken: String?
        }
        var auths: [String: Auth]?
        var credsStore: String?
        var credHelpers: [String: String]?
    }

    let path: String?
    let config: ConfigFile?

    public init(explicitPath: String? = nil, environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        let home = environment["HOME"] ?? NSHomeDirectory()
        var candidates: [String] = []
        if let explicitPath { candidates.append(explicitPath) }
        if let file = environment["REGISTRY_AUTH_FILE"], !file.isEmpty { candidates.append(file) }
        if let dir = environment["DOCKER_CONFIG"], !dir.isEmpty { candidates.append("\(dir)/config.json") }
        candidates.append("\(home)/.docker/config.json")
        if let runtime = environment["XDG_RUNTIME_DIR"], !runtime.isEmpty {
            candidates.append("\(runtime)/containers/auth.json")
        }
        guard let found = candidates.first(where: { FileManager.default.fileExists(atPath: $0) }) else {
            if let explicitPath { throw CredentialError.unreadableConfig(explicitPath, "no such file") }
            path = nil
            config = nil
            return
        }
        do {
            let data = try Data(contentsOf: URL(fileURLWithPath: found))
            config = try JSONDecoder().decode(ConfigFile.self, from: data)
            path = found
        } catch {
            throw CredentialError.unreadableConfig(found, "not a valid docker config.json (\(type(of: error)))")
        }
    }

    public func credentials(for registry: String) async throws -> RegistryCredentials? {
        guard let config else { return nil }
        let keys = Self.lookupKeys(for: registry)
        if let helpers = config.credHelpers, let helper = keys.lazy.compactMap({ helpers[$0] }).first {
            return try await CredentialHelper(name: helper).get(registry: keys[0])
        }
        if let auths = config.auths {
            for (key, entry) in auths where keys.contains(Self.normalize(key)) {
                if let found = try Self.decode(entry) { return found }
            }
        }
        if let store = config.credsStore, !store.isEmpty {
            return try await CredentialHelper(name: store).get(registry: keys[0])
        }
        return nil
    }

    static func decode(_ entry: ConfigFile.Auth) throws -> RegistryCredentials? {
        if let auth = entry.auth, !auth.isEmpty {
            guard let data = Data(base64Encoded: auth), let text = String(data: data, encoding: .utf8),
                  let colon = text.firstIndex(of: ":")
            else { throw CredentialError.unreadableConfig("auths", "an `auth` value is not base64 of user:password") }
            return RegistryCredentials(
                username: String(text[..<colon]), password: String(text[text.index(after: colon)...]),
                identityToken: entry.identitytoken)
        }
        if let username = entry.username, let password = entry.password {
            return RegistryCredentials(username: username, password: password, identityToken: entry.identitytoken)
        }
        return nil
    }

    /// The names under which docker stores a registry: Docker Hub has several historic ones.
    static func lookupKeys(for registry: String) -> [String] {
        if registry == "docker.io" || registry == "index.docker.io" || registry == "registry-1.docker.io" {
            return ["https://index.docker.io/v1/", "index.docker.io", "docker.io", "registry-1.docker.io"]
        }
        return [registry]
    }

    /// `https://host/v1/` → `host`, except Docker Hub's canonical key which stays as is.
    static func normalize(_ key: String) -> String {
        if key == "https://index.docker.io/v1/" { return key }
        var text = Substring(key)
        for scheme in ["https://", "http://"] where text.hasPrefix(scheme) {
            text = text.dropFirst(scheme.count)
        }
        if let slash = text.firstIndex(of: "/") { text = text[..<slash] }
        return String(text)
    }
}

/// Runs `docker-credential-NAME get` with the registry on standard input.
struct CredentialHelper {
    let name: String

    func get(registry: String) async throws -> RegistryCredentials? {
        let name = self.name
        return try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                continuation.resume(with: Result { try Self.run(helper: name, registry: registry) })
            }
        }
    }

    private static func run(helper: String, registry: String) throws -> RegistryCredentials? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["docker-credential-\(helper)", "get"]
        let input = Pipe(), output = Pipe(), errors = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors
        do {
            try process.run()
        } catch {
            throw CredentialError.helperFailed(helper: helper, registry: registry, detail: "cannot start: \(error.localizedDescription)")
        }
        input.fileHandleForWriting.write(Data((registry + "\n").utf8))
        try? input.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        _ = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self)
        guard process.terminationStatus == 0 else {
            // Helpers say "credentials not found" on stdout when they have nothing for the host.
            if text.lowercased().contains("not found") { return nil }
            // The helper's own output could hold a secret: report only its exit status.
            throw CredentialError.helperFailed(helper: helper, registry: registry, detail: "exited with status \(process.terminationStatus)")
        }
        struct Answer: Decodable { var Username: String; var Secret: String }
        guard let answer = try? JSONDecoder().decode(Answer.self, from: data) else {
            throw CredentialError.helperFailed(helper: helper, registry: registry, detail: "its output is not the expected JSON {Username, Secret}")
        }
        if answer.Username == "<token>" {
            return RegistryCredentials(username: "<token>", password: "", identityToken: answer.Secret)
        }
        return RegistryCredentials(username: answer.Username, password: answer.Secret)
    }
}
