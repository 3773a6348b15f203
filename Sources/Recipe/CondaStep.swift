/// `conda:` install and remove conda packages in the base image's prefix, as conda's link step
/// would, without running conda in the image.
public struct CondaStep: Sendable, Hashable {
    public var install: [CondaInstallItem]
    public var remove: [CondaPackageName]
    /// In priority order; names are anaconda.org channels.
    public var channels: [CondaChannel]
    /// The conda prefix in the image; nil means detected from the base (`/opt/conda`, or the
    /// directory holding `conda-meta/`).
    public var prefix: String?
    /// A `conda list --explicit` file (`@EXPLICIT` list of package URLs with hashes), installed
    /// exactly as listed.
    public var explicit: HostPath?
    public var allowOutside: Bool

    public init(
        install: [CondaInstallItem] = [], remove: [CondaPackageName] = [], channels: [CondaChannel] = [],
        prefix: String? = nil, explicit: HostPath? = nil, allowOutside: Bool = false
    ) {
        self.install = install
        self.remove = remove
        self.channels = channels
        self.prefix = prefix
        self.explicit = explicit
        self.allowOutside = allowOutside
    }

    var summary: String {
        var parts: [String] = []
        if !remove.isEmpty { parts.append("remove " + remove.map(\.name).joined(separator: " ")) }
        if !install.isEmpty { parts.append("install " + install.map(\.description).joined(separator: " ")) }
        if let explicit { parts.append("install --file " + explicit.written) }
        return parts.joined(separator: "; ")
    }
}

extension CondaStep: CanonicallyEncodable {
    var canonical: CanonicalValue {
        .object([
            "install": install.isEmpty ? nil : .list(install.map(\.canonical)),
            "remove": remove.isEmpty ? nil : .strings(remove.map(\.name)),
            "channels": channels.isEmpty ? nil : .strings(channels.map(\.description)),
            "prefix": prefix.map(CanonicalValue.string),
            "explicit": explicit.map { .string($0.written) },
            "allow_outside": allowOutside ? .bool(true) : nil,
        ])
    }
}

extension CondaStep {
    static let keys = ["install", "remove", "channels", "prefix", "explicit", "allow_outside"]

    static func parse(_ field: Field, in context: RecipeParseContext) -> CondaStep? {
        guard let map = MappingFields(field, keys: keys, expected: "a mapping with install, remove or explicit", in: context) else {
            return nil
        }
        var valid = true
        let allowOutside = map.optional("allow_outside", valid: &valid) { $0.bool(in: context) } ?? false
        let install = map.optional("install", valid: &valid) { listField -> [CondaInstallItem]? in
            guard let items = listField.items(in: context, expected: "a list of package specs, paths or URLs") else { return nil }
            let parsed = items.compactMap { CondaInstallItem.parse($0, allowOutside: allowOutside, in: context) }
            return parsed.count == items.count ? parsed : nil
        } ?? []
        let remove = map.optional("remove", valid: &valid) { listField -> [CondaPackageName]? in
            guard let names = listField.strings(in: context, expected: "a package name or a list of them") else { return nil }
            let parsed = names.compactMap { CondaPackageName.parse($0.text, field: $0.field, in: context) }
            return parsed.count == names.count ? parsed : nil
        } ?? []
        let channels = map.optional("channels", valid: &valid) { listField -> [CondaChannel]? in
            guard let texts = listField.strings(in: context, expected: "a channel or a list of channels") else { return nil }
            let parsed = texts.compactMap { CondaChannel.parse($0.text, field: $0.field, in: context) }
            return parsed.count == texts.count ? parsed : nil
        } ?? []
        let prefix = map.optional("prefix", valid: &valid) { ImagePath.absolute($0, in: context) }
        let explicitField = map.value("explicit")
        let explicit = map.optional("explicit", valid: &valid) { pathField -> HostPath? in
            guard let text = pathField.nonEmptyString(in: context, expected: "the path of an explicit package list") else { return nil }
            return context.hostPaths.check(text, field: pathField, allowOutside: allowOutside, kind: .file, in: context)
        }
        if let explicitField, !install.isEmpty {
            context.report(
                explicitField, "an explicit list already names every package to install",
                suggestion: "use either explicit or install, or put them in separate steps")
            valid = false
        }
        if valid, install.isEmpty, remove.isEmpty, explicit == nil {
            context.report(field, "the conda step does nothing", suggestion: "give install, remove or explicit")
            return nil
        }
        guard valid else { return nil }
        return CondaStep(
            install: install, remove: remove, channels: channels, prefix: prefix, explicit: explicit,
            allowOutside: allowOutside)
    }
}
