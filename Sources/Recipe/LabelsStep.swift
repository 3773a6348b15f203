/// `labels:` image configuration labels (a mapping of strings).
public struct LabelsStep: Sendable, Hashable {
    public var labels: [String: String]

    public init(labels: [String: String]) {
        self.labels = labels
    }
}

extension LabelsStep: CanonicallyEncodable {
    var canonical: CanonicalValue { .object(labels.mapValues(CanonicalValue.string)) }
}

extension LabelsStep {
    static func parse(_ field: Field, in context: RecipeParseContext) -> LabelsStep? {
        guard let map = MappingFields(field, keys: nil, expected: "a mapping of label: value", in: context) else { return nil }
        var labels: [String: String] = [:]
        var valid = true
        for entry in map.entries {
            guard !entry.key.isEmpty else {
                context.report(entry.keyField, "a label needs a name")
                valid = false
                continue
            }
            guard case .scalar(let scalar) = entry.value.node, !entry.value.isNull else {
                entry.value.reportType("a value (\"\" for an empty one)", in: context)
                valid = false
                continue
            }
            labels[entry.key] = scalar.string
        }
        if valid, labels.isEmpty {
            context.report(field, "sets no labels")
            return nil
        }
        return valid ? LabelsStep(labels: labels) : nil
    }
}
