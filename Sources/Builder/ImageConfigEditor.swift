import Foundation
import OCI
import Recipe

/// Edits an image configuration as JSON, so that fields smimg does not model (healthchecks,
/// `OnBuild`, vendor extensions) survive: the base's config with the steps' changes, the new
/// layers' diffIDs and one history entry per step.
struct ImageConfigEditor {
    private var document: [String: Any]
    private var config: [String: Any]
    /// Whether a `cmd` step ran (an `entrypoint` step then keeps it, as docker does).
    private var commandSet = false
    let created: String

    /// `baseConfig` nil: an empty configuration for `platform` (scratch).
    init(baseConfig: [UInt8]?, platform: Platform, created: String) throws {
        self.created = created
        if let baseConfig {
            guard let object = try JSONSerialization.jsonObject(with: Data(baseConfig)) as? [String: Any] else {
                throw BuildError.unusableBase(base: "config", reason: "the base's config is not a JSON object")
            }
            document = object
        } else {
            document = ["architecture": platform.architecture, "os": platform.os]
            if let variant = platform.variant { document["variant"] = variant }
            document["rootfs"] = ["type": "layers", "diff_ids": [String]()]
        }
        config = document["config"] as? [String: Any] ?? [:]
        document["created"] = created
    }

    /// Applies a configuration step.
    mutating func apply(_ step: Step) {
        switch step {
        case .env(let env):
            var variables = config["Env"] as? [String] ?? []
            for variable in env.variables {
                if let at = variables.firstIndex(where: { $0 == variable.name || $0.hasPrefix(variable.name + "=") }) {
                    variables[at] = variable.description
                } else {
                    variables.append(variable.description)
                }
            }
            config["Env"] = variables
        case .workdir(let workdir):
            config["WorkingDir"] = workdir.path
        case .user(let user):
            config["User"] = user.user
        case .entrypoint(let command):
            setCommand("Entrypoint", command.arguments)
            if !commandSet { config.removeValue(forKey: "Cmd") }
        case .cmd(let command):
            setCommand("Cmd", command.arguments)
            commandSet = true
        case .labels(let labels):
            var merged = config["Labels"] as? [String: Any] ?? [:]
            for (key, value) in labels.labels { merged[key] = value }
            config["Labels"] = merged
        case .expose(let expose):
            var ports = config["ExposedPorts"] as? [String: Any] ?? [:]
            for port in expose.ports { ports[port.description] = [String: Any]() }
            config["ExposedPorts"] = ports
        case .stopSignal(let signal):
            config["StopSignal"] = signal.signal
        case .copy, .remove, .pip, .conda:
            break
        }
    }

    mutating func setLabel(_ key: String, _ value: String) {
        var labels = config["Labels"] as? [String: Any] ?? [:]
        labels[key] = value
        config["Labels"] = labels
    }

    /// Appends a layer's diffID to `rootfs.diff_ids`.
    mutating func appendLayer(diffID: Digest) {
        var rootfs = document["rootfs"] as? [String: Any] ?? ["type": "layers"]
        var ids = rootfs["diff_ids"] as? [Any] ?? []
        ids.append(diffID.description)
        rootfs["diff_ids"] = ids
        rootfs["type"] = rootfs["type"] ?? "layers"
        document["rootfs"] = rootfs
    }

    /// Appends a history entry.
    mutating func appendHistory(createdBy: String, comment: String?, emptyLayer: Bool) {
        var history = document["history"] as? [Any] ?? []
        var entry: [String: Any] = ["created": created, "created_by": createdBy]
        if let comment { entry["comment"] = comment }
        if emptyLayer { entry["empty_layer"] = true }
        history.append(entry)
        document["history"] = history
    }

    /// The configuration's bytes: JSON with sorted keys, so equal inputs give equal digests.
    func encoded() throws -> [UInt8] {
        var document = self.document
        document["config"] = config
        return Array(try JSONSerialization.data(withJSONObject: document, options: [.sortedKeys, .withoutEscapingSlashes]))
    }

    private mutating func setCommand(_ key: String, _ arguments: [String]) {
        if arguments.isEmpty {
            config.removeValue(forKey: key)
        } else {
            config[key] = arguments
        }
    }

    /// `created` for a reproducible build: SOURCE_DATE_EPOCH, else the epoch.
    static func timestamp(_ seconds: Int64) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: Date(timeIntervalSince1970: TimeInterval(seconds)))
    }
}
