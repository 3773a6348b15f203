import OCI

/// One entry of `steps:`: the step, its optional `name` (shown in the image history) and where
/// it was written.
public struct RecipeStep: Sendable, Hashable {
    /// Position in `steps:`, from 0.
    public var index: Int
    public var name: String?
    public var step: Step
    /// Where the step's mapping starts (field `steps[N]`).
    public var location: SourceLocation

    public init(index: Int, name: String?, step: Step, location: SourceLocation) {
        self.index = index
        self.name = name
        self.step = step
        self.location = location
    }

    public var writesLayer: Bool { step.writesLayer }

    /// The history text: the name when given, else the step's summary.
    public var title: String { name ?? step.summary }

    /// SHA-256 over the step's canonical encoding (name included): part of a build-cache key,
    /// together with the base and the contents of the step's input files.
    public var definitionDigest: Digest { canonical.digest }

    /// The canonical JSON encoding of the step.
    public var canonicalEncoding: String { canonical.encoded }

    var canonical: CanonicalValue {
        guard case .object(var members) = step.canonical else { return step.canonical }
        if let name { members["name"] = .string(name) }
        return .object(members)
    }
}

extension RecipeStep {
    static let commonKeys = ["name"]
    static var keys: [String] { Step.Kind.allCases.map(\.rawValue) + commonKeys }

    static func parse(_ field: Field, index: Int, in context: RecipeParseContext) -> RecipeStep? {
        let actions = Step.Kind.allCases.map(\.rawValue)
        guard let map = MappingFields(
            field, keys: keys, expected: "a step: a mapping with one of \(actions.joined(separator: ", "))", in: context)
        else { return nil }
        var valid = true
        let name = map.optional("name", valid: &valid) { $0.nonEmptyString(in: context) }
        let present = map.entries.filter { actions.contains($0.key) }
        guard let action = present.first else {
            if !map.rejectedSomeKey {
                context.report(
                    field, "the step has no action",
                    suggestion: "give one of \(actions.joined(separator: ", "))")
            }
            return nil
        }
        if present.count > 1 {
            context.report(
                present[1].keyField, "a step has one action, and this one already has '\(action.key)'",
                suggestion: "put '\(present[1].key)' in a step of its own")
            valid = false
        }
        guard let kind = Step.Kind(rawValue: action.key), let step = parseAction(kind, action.value, in: context), valid else {
            return nil
        }
        return RecipeStep(index: index, name: name, step: step, location: field.location(in: context))
    }

    private static func parseAction(_ kind: Step.Kind, _ field: Field, in context: RecipeParseContext) -> Step? {
        switch kind {
        case .copy: return CopyStep.parse(field, in: context).map(Step.copy)
        case .remove: return RemoveStep.parse(field, in: context).map(Step.remove)
        case .env: return EnvStep.parse(field, in: context).map(Step.env)
        case .workdir: return WorkdirStep.parse(field, in: context).map(Step.workdir)
        case .user: return UserStep.parse(field, in: context).map(Step.user)
        case .entrypoint: return CommandStep.parse(field, in: context).map(Step.entrypoint)
        case .cmd: return CommandStep.parse(field, in: context).map(Step.cmd)
        case .labels: return LabelsStep.parse(field, in: context).map(Step.labels)
        case .expose: return ExposeStep.parse(field, in: context).map(Step.expose)
        case .stopsignal: return StopSignalStep.parse(field, in: context).map(Step.stopSignal)
        case .pip: return PipStep.parse(field, in: context).map(Step.pip)
        case .conda: return CondaStep.parse(field, in: context).map(Step.conda)
        }
    }
}
