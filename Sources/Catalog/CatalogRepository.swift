/// One DLC repository: its tag formula, platform variants and the versions the catalog lists.
public struct CatalogRepository: Sendable, Equatable {
    public let name: String
    public let framework: String?
    public let scope: String?
    public let architecture: String?
    public let tagFormat: TagFormat
    /// Platform variants, the default first; empty when tags carry no platform suffix.
    public let variants: [String]
    /// Regions the SDK does not list for this repository (images may be missing there).
    public let regionsNotListed: Set<String>
    public let note: String?
    public let versionAliases: [String: String]
    public let versions: [String: CatalogDocument.VersionEntry]

    public init(
        name: String, framework: String?, scope: String?, architecture: String?, tagFormat: TagFormat,
        variants: [String], regionsNotListed: Set<String>, note: String?, versionAliases: [String: String],
        versions: [String: CatalogDocument.VersionEntry]
    ) {
        self.name = name
        self.framework = framework
        self.scope = scope
        self.architecture = architecture
        self.tagFormat = tagFormat
        self.variants = variants
        self.regionsNotListed = regionsNotListed
        self.note = note
        self.versionAliases = versionAliases
        self.versions = versions
    }

    /// Listed versions, newest first.
    public var versionNames: [String] {
        versions.keys.sorted(by: VersionOrder.isNewer)
    }

    /// The listed version a request names: the version itself, an explicit alias, or for a
    /// prefix such as `2.1` the newest listed `2.1.x`. No request means the newest version.
    public func listedVersion(for requested: String?) -> String? {
        guard let requested, !requested.isEmpty else { return versionNames.first }
        if versions[requested] != nil { return requested }
        if let target = versionAliases[requested], versions[target] != nil { return target }
        return versionNames.first { $0.hasPrefix(requested + ".") }
    }
}
