/// Why no set of packages satisfies the request.
public enum CondaSolverError: Error, Sendable, Hashable, CustomStringConvertible {
    /// No candidate satisfies this requirement on its own. `candidateVersions` are the versions
    /// of the package that were available (ascending; empty when no channel has the package).
    case noMatch(CondaRequirement, candidateVersions: [String])
    /// Both requirements can be met separately but no single candidate meets both.
    case conflict(CondaRequirement, CondaRequirement)
    /// A record's `depends` or `constrains` entry is not a valid MatchSpec.
    case invalidDependency(spec: String, of: String, reason: String)
    /// A requested spec the solver cannot use (a name glob).
    case unsupported(MatchSpec, reason: String)
    /// The search gave up after this many steps.
    case tooManySteps(Int)

    public var description: String {
        switch self {
        case .noMatch(let requirement, let versions):
            let name = requirement.spec.name
            if versions.isEmpty {
                return "nothing provides \(requirement): no package named '\(name)' in the channels"
            }
            let shown = versions.count > 20 ? ["…"] + versions.suffix(20) : versions
            return "nothing provides \(requirement); versions of \(name) available: \(shown.joined(separator: ", "))"
        case .conflict(let first, let second):
            return "\(first) conflicts with \(second): no version of \(second.spec.name) satisfies both"
        case .invalidDependency(let spec, let dist, let reason):
            return "\(dist) has an invalid dependency '\(spec)': \(reason)"
        case .unsupported(let spec, let reason):
            return "cannot solve for '\(spec)': \(reason)"
        case .tooManySteps(let steps):
            return "gave up after trying \(steps) combinations; pin more versions to narrow the search"
        }
    }
}
