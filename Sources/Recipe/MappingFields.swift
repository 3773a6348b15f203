import Yams

/// The entries of a YAML mapping, with unknown keys reported (with the nearest valid key
/// suggested) and required keys checked.
struct MappingFields {
    struct Entry {
        let key: String
        let keyField: Field
        let value: Field
    }

    let field: Field
    let entries: [Entry]
    /// Whether some key was reported and left out.
    let rejectedSomeKey: Bool
    /// Valid keys suggested for mistyped ones: not reported again as missing.
    let suggestedKeys: Set<String>

    /// Reads `field` as a mapping. With `keys`, any other key is reported and left out; without,
    /// every key is accepted (env, labels). Nil (reported) when `field` is not a mapping.
    init?(_ field: Field, keys allowed: [String]?, expected: String = "a mapping", in context: RecipeParseContext) {
        guard case .mapping(let mapping) = field.node else {
            field.reportType(expected, in: context)
            return nil
        }
        self.field = field
        var entries: [Entry] = []
        var rejected = false
        var suggested: Set<String> = []
        for (keyNode, valueNode) in mapping {
            let keyPath = field.path.key(keyNode.scalar?.string ?? "?")
            let keyField = Field(node: keyNode, path: keyPath)
            guard case .scalar(let scalar) = keyNode else {
                context.report(keyField, "keys must be plain names, got \(keyField.shown)")
                rejected = true
                continue
            }
            if scalar.string == "<<", scalar.style == .plain {
                context.report(keyField, "YAML merge keys ('<<') are not supported", suggestion: "write the keys out")
                rejected = true
                continue
            }
            if let allowed, !allowed.contains(scalar.string) {
                context.report(keyField, "unknown key", suggestion: NameSuggestions.hint(for: scalar.string, in: allowed))
                suggested.formUnion(NameSuggestions.nearest(to: scalar.string, in: allowed))
                rejected = true
                continue
            }
            entries.append(Entry(key: scalar.string, keyField: keyField, value: Field(node: valueNode, path: keyPath)))
        }
        self.entries = entries
        self.rejectedSomeKey = rejected
        self.suggestedKeys = suggested
    }

    var keys: [String] { entries.map(\.key) }

    func value(_ key: String) -> Field? {
        entries.first { $0.key == key }?.value
    }

    /// The value of a key that must be present; a missing key is reported at the mapping, naming
    /// the key and what it is for.
    func required(_ key: String, _ purpose: String, in context: RecipeParseContext) -> Field? {
        if let value = value(key) { return value }
        guard !suggestedKeys.contains(key) else { return nil }
        context.report(
            at: context.location(of: field.node, at: field.path.key(key)),
            "required key is missing (\(purpose))")
        return nil
    }
}

extension MappingFields {
    /// Reads an optional key with `parse`; a present but invalid value clears `valid`.
    func optional<Value>(_ key: String, valid: inout Bool, _ parse: (Field) -> Value?) -> Value? {
        guard let field = value(key) else { return nil }
        guard let parsed = parse(field) else {
            valid = false
            return nil
        }
        return parsed
    }

    /// Reads a required key with `parse`; a missing (reported) or invalid value clears `valid`.
    func required<Value>(
        _ key: String, _ purpose: String, valid: inout Bool, in context: RecipeParseContext, _ parse: (Field) -> Value?
    ) -> Value? {
        guard let field = required(key, purpose, in: context), let parsed = parse(field) else {
            valid = false
            return nil
        }
        return parsed
    }
}
