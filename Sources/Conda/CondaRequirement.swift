/// A MatchSpec together with why the solver has to honour it.
public struct CondaRequirement: Sendable, Hashable, CustomStringConvertible {
    public enum Origin: Sendable, Hashable, CustomStringConvertible {
        /// Asked for by the user.
        case requested
        /// Already in the prefix; kept unless something forces a change.
        case installed
        /// An entry of this record's `depends` (the record's `name-version-build`).
        case dependency(of: String)
        /// An entry of this record's `constrains`: applies only if the package is present.
        case constraint(of: String)

        public var description: String {
            switch self {
            case .requested: return "requested"
            case .installed: return "installed"
            case .dependency(let dist): return "required by \(dist)"
            case .constraint(let dist): return "constrained by \(dist)"
            }
        }
    }

    public var spec: MatchSpec
    public var origin: Origin

    public init(_ spec: MatchSpec, _ origin: Origin) {
        self.spec = spec
        self.origin = origin
    }

    /// `` `cudatoolkit >=11.3` (required by faiss-gpu-1.7.2-py310_0) ``
    public var description: String {
        let text = spec.written.isEmpty ? spec.description : spec.written
        return "`\(text)` (\(origin))"
    }
}
