/// `pip:` uninstall distributions from the base and install wheels, as pip would, without
/// running Python in the image.
public struct PipStep: Sendable, Hashable {
    /// Distributions to remove (before installing).
    public var uninstall: [PipPackageName]
    /// Whether uninstalling a distribution the base does not have is allowed (else an error).
    public var missingOK: Bool
    public var install: [PipInstallItem]
    /// Replaces PyPI as the main index (PEP 503 / PEP 691).
    public var indexURL: String?
    public var extraIndexURLs: [String]
    public var findLinks: [PipLinkSource]
    /// Whether requirements the base already satisfies are upgraded anyway.
    public var upgrade: Bool
    /// The target interpreter in the image; nil means detected from the base.
    public var python: String?
    public var allowOutside: Bool

    public init(
        uninstall: [PipPackageName] = [], missingOK: Bool = false, install: [PipInstallItem] = [],
        indexURL: String? = nil, extraIndexURLs: [String] = [], findLinks: [PipLinkSource] = [],
        upgrade: Bool = false, python: String? = nil, allowOutside: Bool = false
    ) {
        self.uninstall = uninstall
        self.missingOK = missingOK
        self.install = install
        self.indexURL = indexURL
        self.extraIndexURLs = extraIndexURLs
        self.findLinks = findLinks
        self.upgrade = upgrade
        self.python = python
        self.allowOutside = allowOutside
    }

    var summary: String {
        var parts: [String] = []
        if !uninstall.isEmpty { parts.append("uninstall " + uninstall.map(\.name).joined(separator: " ")) }
        if !install.isEmpty { parts.append("install " + install.map(\.description).joined(separator: " ")) }
        return parts.joined(separator: "; ")
    }
}

extension PipStep: CanonicallyEncodable {
    var canonical: CanonicalValue {
        .object([
            "uninstall": uninstall.isEmpty ? nil : .strings(uninstall.map(\.normalized)),
            "missing_ok": missingOK ? .bool(true) : nil,
            "install": install.isEmpty ? nil : .list(install.map(\.canonical)),
            "index_url": indexURL.map(CanonicalValue.string),
            "extra_index_urls": extraIndexURLs.isEmpty ? nil : .strings(extraIndexURLs),
            "find_links": findLinks.isEmpty ? nil : .list(findLinks.map(\.canonical)),
            "upgrade": upgrade ? .bool(true) : nil,
            "python": python.map(CanonicalValue.string),
            "allow_outside": allowOutside ? .bool(true) : nil,
        ])
    }
}

extension PipStep {
    static let keys = [
        "uninstall", "missing_ok", "install", "index_url", "extra_index_urls", "find_links", "upgrade", "python",
        "allow_outside",
    ]

    static func parse(_ field: Field, in context: RecipeParseContext) -> PipStep? {
        guard let map = MappingFields(field, keys: keys, expected: "a mapping with install and/or uninstall", in: context) else {
            return nil
        }
        var valid = true
        let allowOutside = map.optional("allow_outside", valid: &valid) { $0.bool(in: context) } ?? false
        let uninstall = map.optional("uninstall", valid: &valid) { listField -> [PipPackageName]? in
            guard let names = listField.strings(in: context, expected: "a package name or a list of them") else { return nil }
            let parsed = names.compactMap { PipPackageName.parse($0.text, field: $0.field, in: context) }
            return parsed.count == names.count ? parsed : nil
        } ?? []
        let missingOK = map.optional("missing_ok", valid: &valid) { $0.bool(in: context) } ?? false
        let install = map.optional("install", valid: &valid) { listField -> [PipInstallItem]? in
            guard let items = listField.items(in: context, expected: "a list of requirements, wheel paths or URLs") else { return nil }
            let parsed = items.compactMap { PipInstallItem.parse($0, allowOutside: allowOutside, in: context) }
            return parsed.count == items.count ? parsed : nil
        } ?? []
        let indexURL = map.optional("index_url", valid: &valid) { urlField in
            urlField.nonEmptyString(in: context, expected: "an index URL").flatMap { HTTPURL.check($0, field: urlField, in: context) }
        }
        let extraIndexURLs = map.optional("extra_index_urls", valid: &valid) { listField -> [String]? in
            guard let texts = listField.strings(in: context, expected: "a URL or a list of URLs") else { return nil }
            let urls = texts.compactMap { HTTPURL.check($0.text, field: $0.field, in: context) }
            return urls.count == texts.count ? urls : nil
        } ?? []
        let findLinks = map.optional("find_links", valid: &valid) { listField -> [PipLinkSource]? in
            guard let texts = listField.strings(in: context, expected: "a URL or path, or a list of them") else { return nil }
            let sources = texts.compactMap { PipLinkSource.parse($0.text, field: $0.field, allowOutside: allowOutside, in: context) }
            return sources.count == texts.count ? sources : nil
        } ?? []
        let upgrade = map.optional("upgrade", valid: &valid) { $0.bool(in: context) } ?? false
        let python = map.optional("python", valid: &valid) { ImagePath.absolute($0, in: context) }
        if valid, uninstall.isEmpty, install.isEmpty {
            context.report(field, "the pip step does nothing", suggestion: "give install, uninstall, or both")
            return nil
        }
        guard valid else { return nil }
        return PipStep(
            uninstall: uninstall, missingOK: missingOK, install: install, indexURL: indexURL,
            extraIndexURLs: extraIndexURLs, findLinks: findLinks, upgrade: upgrade, python: python,
            allowOutside: allowOutside)
    }
}
