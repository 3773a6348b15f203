/// Merging a custom catalog into another: named entries merge field by field (a field the
/// overlay gives replaces the base's), a repository's `versions` and `versionAliases` merge by
/// key, and a version entry the overlay gives replaces the base's version entry whole.
extension CatalogDocument {
    public func merged(with overlay: CatalogDocument) -> CatalogDocument {
        var result = self
        result.schema = overlay.schema ?? schema
        result.about = overlay.about ?? about
        result.mode = nil
        result.sources = Self.mergeMaps(sources, overlay.sources) { _, new in new }
        result.partitions = Self.mergeMaps(partitions, overlay.partitions) { $0.merged(with: $1) }
        result.regions = Self.mergeMaps(regions, overlay.regions) { $0.merged(with: $1) }
        result.variants = Self.mergeMaps(variants, overlay.variants) { $0.merged(with: $1) }
        result.tagFormats = Self.mergeMaps(tagFormats, overlay.tagFormats) { $0.merged(with: $1) }
        result.repositories = Self.mergeMaps(repositories, overlay.repositories) { $0.merged(with: $1) }
        return result
    }

    static func mergeMaps<Value>(
        _ base: [String: Value]?, _ overlay: [String: Value]?, combine: (Value, Value) -> Value
    ) -> [String: Value]? {
        guard let overlay else { return base }
        var result = base ?? [:]
        for (key, value) in overlay {
            if let existing = result[key] {
                result[key] = combine(existing, value)
            } else {
                result[key] = value
            }
        }
        return result
    }
}

extension CatalogDocument.PartitionEntry {
    func merged(with overlay: Self) -> Self {
        Self(
            dnsSuffix: overlay.dnsSuffix ?? dnsSuffix,
            registryHost: overlay.registryHost ?? registryHost,
            fipsRegistryHost: overlay.fipsRegistryHost ?? fipsRegistryHost,
            fipsRegions: overlay.fipsRegions ?? fipsRegions,
            dualStackRegistryHost: overlay.dualStackRegistryHost ?? dualStackRegistryHost,
            dualStackFipsRegistryHost: overlay.dualStackFipsRegistryHost ?? dualStackFipsRegistryHost,
            source: overlay.source ?? source,
            note: overlay.note ?? note)
    }
}

extension CatalogDocument.RegionEntry {
    func merged(with overlay: Self) -> Self {
        Self(
            partition: overlay.partition ?? partition,
            name: overlay.name ?? name,
            dlcAccount: overlay.dlcAccount ?? dlcAccount,
            source: overlay.source ?? source,
            note: overlay.note ?? note)
    }
}

extension CatalogDocument.VariantEntry {
    func merged(with overlay: Self) -> Self {
        Self(suffix: overlay.suffix ?? suffix, shortSuffix: overlay.shortSuffix ?? shortSuffix)
    }
}

extension CatalogDocument.TagFormatEntry {
    func merged(with overlay: Self) -> Self {
        Self(full: overlay.full ?? full, short: overlay.short ?? short)
    }
}

extension CatalogDocument.RepositoryEntry {
    func merged(with overlay: Self) -> Self {
        Self(
            framework: overlay.framework ?? framework,
            scope: overlay.scope ?? scope,
            architecture: overlay.architecture ?? architecture,
            tagFormat: overlay.tagFormat ?? tagFormat,
            variants: overlay.variants ?? variants,
            regionsNotListed: overlay.regionsNotListed ?? regionsNotListed,
            note: overlay.note ?? note,
            source: overlay.source ?? source,
            versionAliases: CatalogDocument.mergeMaps(versionAliases, overlay.versionAliases) { _, new in new },
            versions: CatalogDocument.mergeMaps(versions, overlay.versions) { _, new in new })
    }
}
