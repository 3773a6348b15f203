import Catalog

/// A Deep Learning Container base: the catalog spec plus where each of its fields was written,
/// so that catalog errors (unknown version, region without a registry) point at the field.
public struct DLCBase: Sendable, Hashable, CustomStringConvertible {
    public var spec: DLCSpec
    /// Where the `base:` mapping starts.
    public var location: SourceLocation
    /// Where each written field's value is, by field name (`version`, `region`, ...).
    public var fieldLocations: [String: SourceLocation]

    public init(spec: DLCSpec, location: SourceLocation, fieldLocations: [String: SourceLocation]) {
        self.spec = spec
        self.location = location
        self.fieldLocations = fieldLocations
    }

    public var description: String {
        var parts = ["dlc \(spec.repository)"]
        if let version = spec.version { parts.append(version) }
        if let processor = spec.processor { parts.append(processor) }
        parts.append("in \(spec.region)")
        return parts.joined(separator: " ")
    }

    /// The location for a field, or the mapping's when the field was not written.
    public func location(of field: String) -> SourceLocation {
        fieldLocations[field] ?? location
    }
}

extension DLCBase: CanonicallyEncodable {
    var canonical: CanonicalValue {
        .object([
            "repository": .string(spec.repository),
            "version": spec.version.map(CanonicalValue.string),
            "processor": spec.processor.map { .string($0.lowercased()) },
            "python": spec.python.map(CanonicalValue.string),
            "cuda": spec.cuda.map(CanonicalValue.string),
            "os": spec.os.map(CanonicalValue.string),
            "sdk": spec.sdk.map(CanonicalValue.string),
            "base": spec.baseVersion.map(CanonicalValue.string),
            "region": .string(spec.region),
            "variant": spec.variant.map { .string($0.lowercased()) },
            "endpoint": .string(spec.endpoint.rawValue),
            "tag": .string(spec.tagForm.rawValue),
        ])
    }
}

extension DLCBase {
    static func parse(_ field: Field, in context: RecipeParseContext) -> DLCBase? {
        guard let map = MappingFields(field, keys: DLCSpec.fieldNames, expected: BaseImage.expected, in: context) else { return nil }
        var valid = true
        var fields: [String: String] = [:]
        var locations: [String: SourceLocation] = [:]
        for entry in map.entries {
            guard let text = entry.value.nonEmptyString(in: context) else {
                valid = false
                continue
            }
            fields[entry.key] = text
            locations[entry.key] = entry.value.location(in: context)
        }
        if map.value("dlc") == nil, map.value("repository") == nil {
            _ = map.required("dlc", "the DLC repository, e.g. pytorch-training", in: context)
            valid = false
        }
        if map.required("region", "the AWS region to pull from, e.g. us-east-1", in: context) == nil {
            valid = false
        }
        guard valid else { return nil }
        let location = field.location(in: context)
        do {
            let spec = try DLCSpec(fields: fields)
            return DLCBase(spec: spec, location: location, fieldLocations: locations)
        } catch {
            let base = DLCBase(spec: DLCSpec(repository: "", region: ""), location: location, fieldLocations: locations)
            context.report(at: base.location(for: error), Self.message(for: error))
            return nil
        }
    }

    /// Where a catalog error points: the written field it is about, else the mapping.
    func location(for error: CatalogError) -> SourceLocation {
        for name in Self.fields(of: error) {
            if let found = fieldLocations[name] { return found }
        }
        return location
    }

    /// The recipe fields a catalog error can be about, most specific first.
    static func fields(of error: CatalogError) -> [String] {
        switch error {
        case .unknownRegion, .noRegistryAccount: return ["region"]
        case .unknownRepository: return ["dlc", "repository"]
        case .unknownVersion: return ["version"]
        case .unknownProcessor: return ["processor", "gpu"]
        case .unknownPart(let part, _, _, _), .partNotApplicable(let part, _, _): return [part]
        case .unknownVariant: return ["variant", "ec2"]
        case .shortTagUnavailable: return ["tag"]
        case .endpointUnavailable: return ["endpoint"]
        case .invalidSpecField(let name, _), .invalidSpecValue(let name, _, _), .missingSpecField(let name): return [name]
        case .incompleteEntry, .unreadableCatalog, .invalidCatalogJSON, .invalidCatalog: return []
        }
    }

    static func message(for error: CatalogError) -> String {
        switch error {
        case .invalidSpecValue(_, let value, let expected):
            return "expected \(expected), got \(Quoted.text(value))"
        default:
            return error.description
        }
    }
}
