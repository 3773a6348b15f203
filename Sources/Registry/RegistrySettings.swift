import Foundation
import Yams

/// How smimg reaches one registry: TLS, a custom CA, or another location (a mirror or a local
/// stand-in), like containers' `registries.conf` prefix/location.
public struct RegistrySettings: Hashable, Sendable, Codable {
    /// The registry host (with port) these settings apply to, e.g. `myregistry:5000`.
    public var prefix: String
    /// Where requests for `prefix` actually go (`host:port`); nil means `prefix` itself.
    public var location: String?
    /// Allow plain HTTP and unverified TLS. Never the default for a non-loopback host.
    public var insecure: Bool
    /// A PEM file of CA certificates to trust for this registry, in addition to the system's.
    public var caFile: String?

    enum CodingKeys: String, CodingKey {
        case prefix, location, insecure
        case caFile = "ca_file"
    }

    public init(prefix: String, location: String? = nil, insecure: Bool = false, caFile: String? = nil) {
        self.prefix = prefix
        self.location = location
        self.insecure = insecure
        self.caFile = caFile
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        prefix = try container.decode(String.self, forKey: .prefix)
        location = try container.decodeIfPresent(String.self, forKey: .location)
        insecure = try container.decodeIfPresent(Bool.self, forKey: .insecure) ?? false
        caFile = try container.decodeIfPresent(String.self, forKey: .caFile)
    }
}

/// All per-registry settings, from `--registries-config FILE`, `SMIMG_REGISTRIES_CONFIG`, or
/// `~/.config/smimg/registries.yml`, plus command-line additions.
///
/// ```yaml
/// registries:
///   - prefix: localhost:5443
///     ca_file: /etc/ssl/my-ca.crt
///   - prefix: 123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn
///     location: 127.0.0.1:5002
///   - prefix: build-cache.internal:5000
///     insecure: true
/// ```
public struct RegistryConfiguration: Sendable {
    public var registries: [RegistrySettings]

    public init(registries: [RegistrySettings] = []) {
        self.registries = registries
    }

    /// The settings for a registry host: an exact entry, or defaults.
    public func settings(for host: String) -> RegistrySettings {
        registries.last(where: { $0.prefix == host }) ?? RegistrySettings(prefix: host)
    }

    /// Whether plain HTTP may be tried for the host: explicitly insecure, or loopback (as docker
    /// treats `localhost` and `127.0.0.0/8`).
    public func allowsPlainHTTP(_ host: String) -> Bool {
        let settings = settings(for: host)
        return settings.insecure || Self.isLoopback(settings.location ?? host)
    }

    static func isLoopback(_ hostAndPort: String) -> Bool {
        var host = hostAndPort
        if host.hasPrefix("[") {
            return host.hasPrefix("[::1]")
        }
        if let colon = host.lastIndex(of: ":") { host = String(host[..<colon]) }
        return host == "localhost" || host.hasPrefix("127.")
    }

    public mutating func markInsecure(_ host: String) {
        var entry = settings(for: host)
        entry.insecure = true
        registries.append(entry)
    }

    /// Loads a YAML file of the form shown above.
    public static func load(path: String) throws -> RegistryConfiguration {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw RegistryConfigurationError.unreadable(path)
        }
        struct File: Decodable { var registries: [RegistrySettings]? }
        do {
            let file = try YAMLDecoder().decode(File.self, from: text)
            return RegistryConfiguration(registries: file.registries ?? [])
        } catch {
            throw RegistryConfigurationError.invalid(path, String(describing: error))
        }
    }

    /// The configuration file named by the flag, `SMIMG_REGISTRIES_CONFIG`, or the default path
    /// if it exists.
    public static func loadDefault(explicitPath: String?, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> RegistryConfiguration {
        if let path = explicitPath ?? environment["SMIMG_REGISTRIES_CONFIG"], !path.isEmpty {
            return try load(path: path)
        }
        let home = environment["HOME"] ?? NSHomeDirectory()
        let defaultPath = (environment["XDG_CONFIG_HOME"] ?? "\(home)/.config") + "/smimg/registries.yml"
        if FileManager.default.fileExists(atPath: defaultPath) {
            return try load(path: defaultPath)
        }
        return RegistryConfiguration()
    }
}

public enum RegistryConfigurationError: Error, CustomStringConvertible {
    case unreadable(String)
    case invalid(String, String)

    public var description: String {
        switch self {
        case .unreadable(let path):
            return "cannot read registries configuration \(path)"
        case .invalid(let path, let detail):
            return "invalid registries configuration \(path): \(detail); expected `registries:` with entries of prefix, location, insecure, ca_file"
        }
    }
}
