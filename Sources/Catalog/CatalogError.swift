/// What can go wrong loading a catalog or resolving a DLC image, with what to do next.
public enum CatalogError: Error, Equatable, CustomStringConvertible {
    case unknownRegion(String, suggestions: [String])
    case noRegistryAccount(region: String, partition: String)
    case unknownRepository(String, suggestions: [String], known: [String])
    case unknownVersion(repository: String, version: String, known: [String])
    case unknownProcessor(repository: String, version: String, processor: String, available: [String])
    case unknownPart(part: String, value: String, image: String, available: [String])
    case partNotApplicable(part: String, value: String, image: String)
    case unknownVariant(variant: String, image: String, available: [String])
    case shortTagUnavailable(repository: String)
    case endpointUnavailable(endpoint: RegistryEndpoint, region: String, reason: String)
    case incompleteEntry(image: String, reason: String)
    case invalidSpecField(String, suggestions: [String])
    case invalidSpecValue(field: String, value: String, expected: String)
    case missingSpecField(String)
    case unreadableCatalog(path: String, reason: String)
    case invalidCatalogJSON(origin: String, reason: String)
    case invalidCatalog(origin: String, problems: [String])

    public var description: String {
        switch self {
        case .unknownRegion(let name, let suggestions):
            return "unknown region '\(name)'\(Self.didYouMean(suggestions)); regions are named like us-east-1 or cn-northwest-1 (a region the catalog lacks can be added with --catalog FILE, see docs/catalog.md)"
        case .noRegistryAccount(let region, let partition):
            return "no Deep Learning Containers registry account is known for region \(region) (partition \(partition)); choose another region, or give its account as 'dlcAccount' in a custom catalog (--catalog FILE)"
        case .unknownRepository(let name, let suggestions, let known):
            let hint = suggestions.isEmpty ? "; known repositories: \(known.joined(separator: ", "))" : Self.didYouMean(suggestions)
            return "unknown DLC repository '\(name)'\(hint); others can be added with --catalog FILE"
        case .unknownVersion(let repository, let version, let known):
            return "\(repository) has no version '\(version)' in the catalog; known versions: \(known.joined(separator: ", ")) (a major.minor such as 2.1 picks the newest 2.1.x; add versions with --catalog FILE)"
        case .unknownProcessor(let repository, let version, let processor, let available):
            return "\(repository) \(version) has no '\(processor)' images; available: \(available.joined(separator: ", "))"
        case .unknownPart(let part, let value, let image, let available):
            return "\(image) is not listed with \(part) '\(value)'; listed: \(available.joined(separator: ", ")) (leave \(part) out for the default, or add the combination with --catalog FILE)"
        case .partNotApplicable(let part, let value, let image):
            return "\(image) tags have no \(part) part, so \(part) '\(value)' does not apply; leave it out"
        case .unknownVariant(let variant, let image, let available):
            if available.isEmpty {
                return "\(image) tags carry no platform suffix, so variant '\(variant)' does not apply; leave out --ec2/--variant"
            }
            return "\(image) has no '\(variant)' variant; available: \(available.joined(separator: ", "))"
        case .shortTagUnavailable(let repository):
            return "\(repository) publishes no short tags; use the full tag"
        case .endpointUnavailable(let endpoint, let region, let reason):
            return "no \(endpoint.rawValue) registry endpoint in \(region): \(reason); use the standard endpoint"
        case .incompleteEntry(let image, let reason):
            return "the catalog entry for \(image) is incomplete: \(reason); fix it in the catalog (docs/catalog.md)"
        case .invalidSpecField(let field, let suggestions):
            return "unknown base image field '\(field)'\(Self.didYouMean(suggestions)); fields: \(DLCSpec.fieldNames.joined(separator: ", "))"
        case .invalidSpecValue(let field, let value, let expected):
            return "base image field '\(field)' has value '\(value)'; expected \(expected)"
        case .missingSpecField(let field):
            return "base image field '\(field)' is required"
        case .unreadableCatalog(let path, let reason):
            return "cannot read catalog file \(path): \(reason); check the --catalog / SMIMG_CATALOG path"
        case .invalidCatalogJSON(let origin, let reason):
            return "catalog \(origin) is not valid catalog JSON: \(reason) (format: docs/catalog.md)"
        case .invalidCatalog(let origin, let problems):
            return "catalog \(origin) is inconsistent:\n" + problems.map { "  - \($0)" }.joined(separator: "\n") + "\n(format: docs/catalog.md)"
        }
    }

    static func didYouMean(_ suggestions: [String]) -> String {
        switch suggestions.count {
        case 0: return ""
        case 1: return " (did you mean \(suggestions[0])?)"
        default: return " (did you mean one of \(suggestions.joined(separator: ", "))?)"
        }
    }
}
