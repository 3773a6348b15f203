/// Turns a `DLCSpec` into the image URI: the region's registry account and host, the
/// repository, and the tag written by the repository's formula from the requested parts or the
/// catalog's defaults for the version and processor.
public struct DLCResolver: Sendable {
    public let catalog: Catalog

    public init(catalog: Catalog) {
        self.catalog = catalog
    }

    /// Recipe-shaped entry point: `base: {dlc: pytorch-training, version: 2.1, region: cn-northwest-1, gpu: true}`.
    public func resolve(
        dlc: String, version: String? = nil, region: String, gpu: Bool? = nil, python: String? = nil,
        cuda: String? = nil, os: String? = nil, ec2: Bool = false
    ) throws(CatalogError) -> ResolvedImage {
        try resolve(DLCSpec(dlc: dlc, version: version, region: region, gpu: gpu, python: python, cuda: cuda, os: os, ec2: ec2))
    }

    public func resolve(_ spec: DLCSpec) throws(CatalogError) -> ResolvedImage {
        let region = try catalog.region(spec.region)
        guard let account = region.dlcAccount else {
            throw .noRegistryAccount(region: region.name, partition: region.partition.name)
        }
        let repository = try catalog.repository(spec.repository)

        guard let version = repository.listedVersion(for: spec.version),
              let entry = repository.versions[version]
        else {
            throw .unknownVersion(repository: repository.name, version: spec.version ?? "", known: repository.versionNames)
        }

        let processors = (entry.processors ?? [:]).keys.sorted()
        let processor = try chooseProcessor(spec.processor, available: processors, repository: repository.name, version: version)
        let choices = entry.processors?[processor] ?? CatalogDocument.PartChoices()
        let image = "\(repository.name) \(version) \(processor)"

        let python = try choose("python", spec.python.map(TagPartSpelling.python), choices.python ?? entry.python, image: image)
        let cuda = try choose("cuda", spec.cuda.map(TagPartSpelling.cuda), choices.cuda ?? entry.cuda, image: image)
        let os = try choose("os", spec.os.map(TagPartSpelling.os), choices.os ?? entry.os, image: image)
        let sdk = try choose("sdk", spec.sdk.map(TagPartSpelling.sdk), choices.sdk ?? entry.sdk, image: image)
        let base = try choose("base", spec.baseVersion.map(TagPartSpelling.base), choices.base ?? entry.base, image: image)

        let variantNames = choices.variants ?? entry.variants ?? repository.variants
        let variant = try chooseVariant(spec.variant, available: variantNames, image: image)

        var parts: [String: String] = ["version": version, "processor": processor]
        parts["python"] = python
        parts["cuda"] = cuda
        parts["os"] = os
        parts["sdk"] = sdk
        parts["base"] = base
        parts["suffix"] = variant?.suffix
        parts["shortSuffix"] = variant?.shortSuffix

        let template: TagTemplate
        switch spec.tagForm {
        case .full:
            template = repository.tagFormat.full
        case .short:
            guard let short = repository.tagFormat.short else { throw .shortTagUnavailable(repository: repository.name) }
            template = short
        }
        let tag: String
        do {
            tag = try template.render(parts)
        } catch {
            throw .incompleteEntry(image: image, reason: error.description)
        }

        let hostTemplate: TagTemplate
        switch region.partition.hostTemplate(for: spec.endpoint, region: region.name) {
        case .success(let found): hostTemplate = found
        case .failure(let unavailable):
            throw .endpointUnavailable(endpoint: spec.endpoint, region: region.name, reason: unavailable.reason)
        }
        let host: String
        do {
            host = try hostTemplate.render(["account": account, "region": region.name, "dnsSuffix": region.dnsSuffix])
        } catch {
            throw .incompleteEntry(image: "partition \(region.partition.name)", reason: error.description)
        }

        var notes: [String] = []
        if let note = region.note { notes.append("\(region.name): \(note)") }
        if repository.regionsNotListed.contains(region.name) {
            notes.append("The SageMaker SDK does not list \(repository.name) in \(region.name); the image may not be published there.")
        }

        return ResolvedImage(
            uri: "\(host)/\(repository.name):\(tag)", registryHost: host, account: account, region: region.name,
            partition: region.partition.name, dnsSuffix: region.dnsSuffix, repository: repository.name, tag: tag,
            version: version, processor: processor, python: python, cuda: cuda, os: os, sdk: sdk, baseVersion: base,
            variant: variant?.name, notes: notes)
    }

    private func chooseProcessor(
        _ requested: String?, available: [String], repository: String, version: String
    ) throws(CatalogError) -> String {
        guard !available.isEmpty else {
            throw .incompleteEntry(image: "\(repository) \(version)", reason: "no processors are listed")
        }
        if let requested {
            let wanted = requested.lowercased()
            guard available.contains(wanted) else {
                throw .unknownProcessor(repository: repository, version: version, processor: requested, available: available)
            }
            return wanted
        }
        return available.contains("gpu") ? "gpu" : available[0]
    }

    /// The requested value when listed, the first listed value when none is requested, nil when
    /// the image has no such part.
    private func choose(_ part: String, _ requested: String?, _ listed: [String]?, image: String) throws(CatalogError) -> String? {
        guard let listed, !listed.isEmpty else {
            if let requested { throw .partNotApplicable(part: part, value: requested, image: image) }
            return nil
        }
        guard let requested else { return listed[0] }
        guard listed.contains(requested) else {
            throw .unknownPart(part: part, value: requested, image: image, available: listed)
        }
        return requested
    }

    private func chooseVariant(_ requested: String?, available: [String], image: String) throws(CatalogError) -> TagVariant? {
        guard let requested else {
            guard let first = available.first else { return nil }
            return try catalog.variant(first)
        }
        let wanted = requested.lowercased()
        guard available.contains(wanted) else {
            throw .unknownVariant(variant: requested, image: image, available: available)
        }
        return try catalog.variant(wanted)
    }
}
