/// What one recipe step does. `copy`, `remove`, `pip` and `conda` write a layer; the others
/// change only the image configuration.
public enum Step: Sendable, Hashable {
    case copy(CopyStep)
    case remove(RemoveStep)
    case env(EnvStep)
    case workdir(WorkdirStep)
    case user(UserStep)
    case entrypoint(CommandStep)
    case cmd(CommandStep)
    case labels(LabelsStep)
    case expose(ExposeStep)
    case stopSignal(StopSignalStep)
    case pip(PipStep)
    case conda(CondaStep)

    /// The step's key in a recipe.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        case copy, remove, env, workdir, user, entrypoint, cmd, labels, expose, stopsignal, pip, conda

        public var writesLayer: Bool {
            switch self {
            case .copy, .remove, .pip, .conda: return true
            case .env, .workdir, .user, .entrypoint, .cmd, .labels, .expose, .stopsignal: return false
            }
        }
    }

    public var kind: Kind {
        switch self {
        case .copy: return .copy
        case .remove: return .remove
        case .env: return .env
        case .workdir: return .workdir
        case .user: return .user
        case .entrypoint: return .entrypoint
        case .cmd: return .cmd
        case .labels: return .labels
        case .expose: return .expose
        case .stopSignal: return .stopsignal
        case .pip: return .pip
        case .conda: return .conda
        }
    }

    /// Whether the step adds a layer (`copy`, `remove`, `pip`, `conda`) rather than only
    /// changing the configuration.
    public var writesLayer: Bool { kind.writesLayer }

    /// A short account for image history and plans: `copy app, run.sh -> /app/`.
    public var summary: String {
        switch self {
        case .copy(let step): return "copy " + step.summary
        case .remove(let step): return "remove " + step.paths.joined(separator: " ")
        case .env(let step): return "env " + step.variables.map(\.description).joined(separator: " ")
        case .workdir(let step): return "workdir " + step.path
        case .user(let step): return "user " + step.user
        case .entrypoint(let step): return "entrypoint " + step.form.description
        case .cmd(let step): return "cmd " + step.form.description
        case .labels(let step): return "labels " + step.labels.keys.sorted().map { "\($0)=\(step.labels[$0] ?? "")" }.joined(separator: " ")
        case .expose(let step): return "expose " + step.ports.map(\.description).joined(separator: " ")
        case .stopSignal(let step): return "stopsignal " + step.signal
        case .pip(let step): return "pip " + step.summary
        case .conda(let step): return "conda " + step.summary
        }
    }
}

extension Step: CanonicallyEncodable {
    var canonical: CanonicalValue {
        let payload: CanonicalValue
        switch self {
        case .copy(let step): payload = step.canonical
        case .remove(let step): payload = step.canonical
        case .env(let step): payload = step.canonical
        case .workdir(let step): payload = step.canonical
        case .user(let step): payload = step.canonical
        case .entrypoint(let step): payload = step.canonical
        case .cmd(let step): payload = step.canonical
        case .labels(let step): payload = step.canonical
        case .expose(let step): payload = step.canonical
        case .stopSignal(let step): payload = step.canonical
        case .pip(let step): payload = step.canonical
        case .conda(let step): payload = step.canonical
        }
        return .object([kind.rawValue: payload])
    }
}
