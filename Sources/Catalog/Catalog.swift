/// A validated base-image catalog: partitions, regions, platform variants, tag formulas and
/// DLC repositories. Build one with `Catalog.builtIn()`, `Catalog.load(customFile:environment:)`
/// or `Catalog(document:origin:)`; resolve images with `DLCResolver`.
public struct Catalog: Sendable {
    /// Where the catalog came from, for messages: `built-in`, `built-in + my.json (merged)`.
    public let origin: String
    public let document: CatalogDocument
    public let partitions: [String: CatalogPartition]
    public let regions: [String: CatalogRegion]
    public let variants: [String: TagVariant]
    public let tagFormats: [String: TagFormat]
    public let repositories: [String: CatalogRepository]

    static let hostPartNames: Set<String> = ["account", "region", "dnsSuffix"]

    /// Validates a complete document; every problem found is reported at once.
    public init(document: CatalogDocument, origin: String) throws(CatalogError) {
        var problems: [String] = []

        var partitions: [String: CatalogPartition] = [:]
        for (name, entry) in document.partitions ?? [:] {
            guard let dnsSuffix = entry.dnsSuffix, !dnsSuffix.isEmpty else {
                problems.append("partition \(name): dnsSuffix is missing")
                continue
            }
            guard let hostText = entry.registryHost else {
                problems.append("partition \(name): registryHost is missing")
                continue
            }
            let host = Self.template(hostText, allowed: Self.hostPartNames, context: "partition \(name) registryHost", problems: &problems)
            let fips = entry.fipsRegistryHost.flatMap {
                Self.template($0, allowed: Self.hostPartNames, context: "partition \(name) fipsRegistryHost", problems: &problems)
            }
            let dualStack = entry.dualStackRegistryHost.flatMap {
                Self.template($0, allowed: Self.hostPartNames, context: "partition \(name) dualStackRegistryHost", problems: &problems)
            }
            let dualStackFips = entry.dualStackFipsRegistryHost.flatMap {
                Self.template($0, allowed: Self.hostPartNames, context: "partition \(name) dualStackFipsRegistryHost", problems: &problems)
            }
            guard let host else { continue }
            partitions[name] = CatalogPartition(
                name: name, dnsSuffix: dnsSuffix, registryHost: host, fipsRegistryHost: fips,
                fipsRegions: Set(entry.fipsRegions ?? []), dualStackRegistryHost: dualStack,
                dualStackFipsRegistryHost: dualStackFips)
        }

        var regions: [String: CatalogRegion] = [:]
        for (name, entry) in document.regions ?? [:] {
            guard let partitionName = entry.partition else {
                problems.append("region \(name): partition is missing")
                continue
            }
            guard let partition = partitions[partitionName] else {
                if document.partitions?[partitionName] == nil {
                    problems.append("region \(name): partition '\(partitionName)' is not defined\(CatalogError.didYouMean(NameSuggestions.nearest(to: partitionName, in: (document.partitions ?? [:]).keys)))")
                }
                continue
            }
            if let account = entry.dlcAccount, account.count != 12 || !account.allSatisfy(\.isASCII) || !account.allSatisfy(\.isNumber) {
                problems.append("region \(name): dlcAccount '\(account)' is not a 12-digit AWS account id")
            }
            regions[name] = CatalogRegion(
                name: name, displayName: entry.name, partition: partition, dlcAccount: entry.dlcAccount, note: entry.note)
        }

        var variants: [String: TagVariant] = [:]
        for (name, entry) in document.variants ?? [:] {
            guard let suffix = entry.suffix else {
                problems.append("variant \(name): suffix is missing")
                continue
            }
            variants[name] = TagVariant(name: name, suffix: suffix, shortSuffix: entry.shortSuffix ?? "")
        }

        var tagFormats: [String: TagFormat] = [:]
        for (name, entry) in document.tagFormats ?? [:] {
            guard let fullText = entry.full else {
                problems.append("tag format \(name): full is missing")
                continue
            }
            let full = Self.template(fullText, allowed: TagFormat.partNames, context: "tag format \(name) full", problems: &problems)
            let short = entry.short.flatMap {
                Self.template($0, allowed: TagFormat.partNames, context: "tag format \(name) short", problems: &problems)
            }
            guard let full else { continue }
            tagFormats[name] = TagFormat(name: name, full: full, short: short)
        }

        var repositories: [String: CatalogRepository] = [:]
        for (name, entry) in document.repositories ?? [:] {
            guard let formatName = entry.tagFormat else {
                problems.append("repository \(name): tagFormat is missing")
                continue
            }
            guard let format = tagFormats[formatName] else {
                if document.tagFormats?[formatName] == nil {
                    problems.append("repository \(name): tag format '\(formatName)' is not defined\(CatalogError.didYouMean(NameSuggestions.nearest(to: formatName, in: (document.tagFormats ?? [:]).keys)))")
                }
                continue
            }
            let versions = entry.versions ?? [:]
            if versions.isEmpty { problems.append("repository \(name): no versions are listed") }
            Self.checkVariants(entry.variants ?? [], context: "repository \(name)", defined: document.variants ?? [:], problems: &problems)
            for (version, versionEntry) in versions {
                let context = "repository \(name) version \(version)"
                let processors = versionEntry.processors ?? [:]
                if processors.isEmpty { problems.append("\(context): no processors are listed") }
                Self.checkVariants(versionEntry.variants ?? [], context: context, defined: document.variants ?? [:], problems: &problems)
                for (processor, choices) in processors {
                    Self.checkVariants(choices.variants ?? [], context: "\(context) \(processor)", defined: document.variants ?? [:], problems: &problems)
                }
            }
            for (alias, target) in entry.versionAliases ?? [:] where versions[target] == nil {
                problems.append("repository \(name): version alias \(alias) points to unlisted version \(target)")
            }
            repositories[name] = CatalogRepository(
                name: name, framework: entry.framework, scope: entry.scope, architecture: entry.architecture,
                tagFormat: format, variants: entry.variants ?? [], regionsNotListed: Set(entry.regionsNotListed ?? []),
                note: entry.note, versionAliases: entry.versionAliases ?? [:], versions: versions)
        }

        if regions.isEmpty, problems.isEmpty { problems.append("no regions are defined") }
        if repositories.isEmpty, problems.isEmpty { problems.append("no repositories are defined") }
        guard problems.isEmpty else { throw .invalidCatalog(origin: origin, problems: problems.sorted()) }

        self.origin = origin
        self.document = document
        self.partitions = partitions
        self.regions = regions
        self.variants = variants
        self.tagFormats = tagFormats
        self.repositories = repositories
    }

    public var regionNames: [String] { regions.keys.sorted() }
    public var repositoryNames: [String] { repositories.keys.sorted() }

    /// The region of that name, or an error suggesting the nearest names.
    public func region(_ name: String) throws(CatalogError) -> CatalogRegion {
        if let region = regions[name] ?? regions[name.lowercased()] { return region }
        throw .unknownRegion(name, suggestions: NameSuggestions.nearest(to: name, in: regions.keys))
    }

    /// The repository of that name, or an error suggesting the nearest names.
    public func repository(_ name: String) throws(CatalogError) -> CatalogRepository {
        if let repository = repositories[name] ?? repositories[name.lowercased()] { return repository }
        throw .unknownRepository(
            name, suggestions: NameSuggestions.nearest(to: name, in: repositories.keys), known: repositoryNames)
    }

    func variant(_ name: String) throws(CatalogError) -> TagVariant {
        guard let variant = variants[name] else {
            throw .incompleteEntry(image: "variant \(name)", reason: "it is not defined under 'variants'")
        }
        return variant
    }

    private static func template(
        _ text: String, allowed: Set<String>, context: String, problems: inout [String]
    ) -> TagTemplate? {
        do {
            let template = try TagTemplate(text)
            let unknown = template.placeholders.subtracting(allowed)
            if !unknown.isEmpty {
                problems.append("\(context): unknown placeholder(s) \(unknown.sorted().map { "{\($0)}" }.joined(separator: ", ")); allowed: \(allowed.sorted().joined(separator: ", "))")
                return nil
            }
            return template
        } catch {
            problems.append("\(context): \(error.description)")
            return nil
        }
    }

    private static func checkVariants(
        _ names: [String], context: String, defined: [String: CatalogDocument.VariantEntry], problems: inout [String]
    ) {
        for name in names where defined[name] == nil {
            problems.append("\(context): variant '\(name)' is not defined under 'variants'")
        }
    }
}
