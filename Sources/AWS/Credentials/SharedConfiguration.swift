import Foundation

/// The shared AWS configuration: `~/.aws/config` (`AWS_CONFIG_FILE`), where profiles are
/// `[default]` and `[profile name]`, and `~/.aws/credentials` (`AWS_SHARED_CREDENTIALS_FILE`),
/// where they are `[name]`. A missing file counts as empty.
public struct SharedConfiguration: Sendable {
    public let configFilePath: String
    public let credentialsFilePath: String
    let configFile: AWSConfigFile
    let credentialsFile: AWSConfigFile

    public init(configFilePath: String, configFile: AWSConfigFile, credentialsFilePath: String, credentialsFile: AWSConfigFile) {
        self.configFilePath = configFilePath
        self.configFile = configFile
        self.credentialsFilePath = credentialsFilePath
        self.credentialsFile = credentialsFile
    }

    /// Reads both files at the paths the environment selects.
    public static func load(environment: [String: String] = ProcessInfo.processInfo.environment) throws(CredentialsError)
        -> SharedConfiguration
    {
        let configPath = path(environment["AWS_CONFIG_FILE"], default: "~/.aws/config", environment: environment)
        let credentialsPath = path(
            environment["AWS_SHARED_CREDENTIALS_FILE"], default: "~/.aws/credentials", environment: environment)
        return SharedConfiguration(
            configFilePath: configPath, configFile: try read(configPath),
            credentialsFilePath: credentialsPath, credentialsFile: try read(credentialsPath))
    }

    /// The profile name to use: an explicit one, else `AWS_PROFILE`, else `AWS_DEFAULT_PROFILE`,
    /// else `default`.
    public static func profileName(explicit: String?, environment: [String: String]) -> String {
        for candidate in [explicit, environment["AWS_PROFILE"], environment["AWS_DEFAULT_PROFILE"]] {
            if let name = candidate?.trimmingCharacters(in: .whitespaces), !name.isEmpty { return name }
        }
        return "default"
    }

    /// The profile with this name, merged from both files (the credentials file wins for keys
    /// present in both, as in botocore); nil when neither file has it.
    public func profile(named name: String) -> AWSProfile? {
        let configValues =
            name == "default"
            ? (configFile.values(ofSection: "default") ?? configFile.values(ofSection: "profile default"))
            : configFile.values(ofSection: "profile \(name)") ?? configFileValues(loosely: name)
        let credentialsValues = credentialsFile.values(ofSection: name)
        guard configValues != nil || credentialsValues != nil else { return nil }
        return AWSProfile(name: name, configValues: configValues ?? [:], credentialsValues: credentialsValues ?? [:])
    }

    /// `[profile   name]` with extra spaces, as botocore accepts.
    private func configFileValues(loosely name: String) -> [String: String]? {
        let matching = configFile.sections.filter { section in
            let parts = section.name.split(separator: " ", omittingEmptySubsequences: true)
            return parts.count == 2 && parts[0] == "profile" && parts[1] == name
        }
        guard !matching.isEmpty else { return nil }
        return matching.reduce(into: [:]) { $0.merge($1.values) { $1 } }
    }

    static func path(_ configured: String?, default fallback: String, environment: [String: String]) -> String {
        let raw = configured.flatMap { $0.isEmpty ? nil : $0 } ?? fallback
        guard raw.hasPrefix("~/") || raw == "~" else { return raw }
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        return home + raw.dropFirst()
    }

    static func read(_ path: String) throws(CredentialsError) -> AWSConfigFile {
        guard FileManager.default.fileExists(atPath: path) else { return AWSConfigFile(sections: []) }
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw .unreadableFile(path: path, reason: error.localizedDescription)
        }
        return try AWSConfigFile(parsing: String(decoding: data, as: UTF8.self), path: path)
    }
}

/// One profile's settings from both shared files. `description` lists setting names only.
public struct AWSProfile: Sendable, CustomStringConvertible {
    public let name: String
    let configValues: [String: String]
    let credentialsValues: [String: String]

    /// A setting, from the credentials file if there, else from the config file.
    public subscript(key: String) -> String? {
        let value = credentialsValues[key] ?? configValues[key]
        guard let value, !value.isEmpty else { return nil }
        return value
    }

    public var region: String? { self["region"] }

    /// Static keys from one of the files.
    func staticCredentials(fromCredentialsFile: Bool) -> AWSCredentials? {
        let values = fromCredentialsFile ? credentialsValues : configValues
        guard let accessKeyId = values["aws_access_key_id"], !accessKeyId.isEmpty,
            let secretAccessKey = values["aws_secret_access_key"], !secretAccessKey.isEmpty
        else { return nil }
        let token = values["aws_session_token"].flatMap { $0.isEmpty ? nil : $0 }
        return AWSCredentials(accessKeyId: accessKeyId, secretAccessKey: secretAccessKey, sessionToken: token)
    }

    var hasStaticCredentials: Bool {
        staticCredentials(fromCredentialsFile: true) != nil || staticCredentials(fromCredentialsFile: false) != nil
    }

    public var description: String {
        let keys = Set(configValues.keys).union(credentialsValues.keys).sorted()
        return "AWSProfile(\(name): \(keys.joined(separator: ", ")))"
    }
}
