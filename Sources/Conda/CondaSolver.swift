/// Picks one record per package name so that the requested specs, every chosen record's
/// `depends` (transitively) and the `constrains` of chosen records (for packages that end up
/// present) all hold.
///
/// Rules:
/// - Strict channel priority: `channels` is ordered highest priority first, and a package name
///   found in a channel is only taken from the first channel that has it — unless a spec for it
///   names a channel (`pytorch::pytorch`), which then selects from all channels.
/// - Installed packages stay in the environment; an installed record that satisfies everything is
///   kept, otherwise it is replaced by another build.
/// - Otherwise candidates are tried highest version first, then fewest `track_features` (how
///   channels de-prioritise variants), then highest `build_number`, then newest `timestamp`, then
///   file name. The choice is greedy per name: requested names are decided in the order given,
///   so `python numpy` fixes python's version before numpy's build (conda's global optimisation
///   can differ when several builds of one version fit).
/// - Names starting with `__` are virtual packages (`__glibc`, `__cuda`, `__unix`, `__linux`,
///   `__archspec`) and are only taken from `virtualPackages`.
///
/// The search is a depth-first backtracking search over package names in the order they become
/// required; it suits the small, mostly pinned sets an image build asks for. When it fails it
/// reports the failure found deepest in the search: a requirement nothing satisfies (with the
/// versions seen) or two requirements that no single candidate satisfies together.
public struct CondaSolver: Sendable {
    /// Highest priority first.
    public let channels: [[CondaPackageRecord]]
    /// The prefix's records (`conda-meta/*.json`).
    public let installed: [CondaPackageRecord]
    /// `__glibc`, `__cuda`, … describing the target system.
    public let virtualPackages: [CondaPackageRecord]
    /// Candidate decisions before the search gives up with ``CondaSolverError/tooManySteps(_:)``.
    public let maximumSteps: Int

    private let channelIndexes: [[String: [CondaPackageRecord]]]

    public init(
        channels: [[CondaPackageRecord]], installed: [CondaPackageRecord] = [],
        virtualPackages: [CondaPackageRecord] = [], maximumSteps: Int = 100_000
    ) {
        self.channels = channels
        self.installed = installed
        self.virtualPackages = virtualPackages
        self.maximumSteps = maximumSteps
        channelIndexes = channels.map { Dictionary(grouping: $0, by: { $0.name.lowercased() }) }
    }

    /// Solves for `requested` on top of the installed records.
    public func solve(_ requested: [MatchSpec]) throws(CondaSolverError) -> CondaSolution {
        var start = SearchState()
        for spec in requested {
            guard spec.hasExactName else { throw .unsupported(spec, reason: "package name globs cannot be installed") }
            start.require(CondaRequirement(spec, .requested))
        }
        for record in installed {
            start.require(CondaRequirement(MatchSpec(name: record.name), .installed))
        }
        let log = SearchLog()
        guard let solved = try search(start, depth: 0, log: log) else {
            throw log.deepestFailure?.error ?? .tooManySteps(log.steps)
        }
        return solution(from: solved)
    }

    // MARK: Search

    private func search(_ state: SearchState, depth: Int, log: SearchLog) throws(CondaSolverError) -> SearchState? {
        guard let name = state.pending.first else { return state }
        let requirements = state.requirements[name] ?? []
        let constraints = state.constraints[name] ?? []
        let pool = candidates(for: name, requirements: requirements + constraints)
        let viable = pool.filter { record in
            requirements.allSatisfy { $0.spec.matches(record) } && constraints.allSatisfy { $0.spec.matches(record) }
        }
        if viable.isEmpty {
            log.record(Self.explain(requirements + constraints, pool: pool), depth: depth)
            return nil
        }
        for record in viable {
            log.steps += 1
            guard log.steps <= maximumSteps else { throw .tooManySteps(maximumSteps) }
            var next = state
            if let failure = choose(record, in: &next) {
                log.record(failure, depth: depth + 1)
                continue
            }
            if let solved = try search(next, depth: depth + 1, log: log) { return solved }
        }
        return nil
    }

    /// Adds `record` and its `depends` and `constrains`; returns why that is impossible, if it is.
    private func choose(_ record: CondaPackageRecord, in state: inout SearchState) -> CondaSolverError? {
        let name = record.name.lowercased()
        state.chosen[name] = record
        state.pending.removeAll { $0 == name }
        for (entries, isConstraint) in [(record.depends, false), (record.constrains, true)] {
            for entry in entries {
                let spec: MatchSpec
                do {
                    spec = try MatchSpec(entry)
                } catch {
                    return .invalidDependency(spec: entry, of: record.distName, reason: "\(error)")
                }
                guard spec.hasExactName else {
                    return .invalidDependency(spec: entry, of: record.distName, reason: "a name glob")
                }
                let requirement = CondaRequirement(
                    spec, isConstraint ? .constraint(of: record.distName) : .dependency(of: record.distName))
                if let present = state.chosen[spec.name], !spec.matches(present) {
                    let existing = (state.requirements[spec.name] ?? []) + (state.constraints[spec.name] ?? [])
                    return Self.explain(
                        existing + [requirement], pool: candidates(for: spec.name, requirements: existing + [requirement]))
                }
                if isConstraint {
                    state.constraints[spec.name, default: []].append(requirement)
                } else {
                    state.require(requirement)
                }
            }
        }
        return nil
    }

    /// The most specific reason why no candidate satisfies all `requirements`.
    static func explain(_ requirements: [CondaRequirement], pool: [CondaPackageRecord]) -> CondaSolverError {
        let versions = uniqueVersions(pool)
        for requirement in requirements where !pool.contains(where: { requirement.spec.matches($0) }) {
            return .noMatch(requirement, candidateVersions: versions)
        }
        for (index, later) in requirements.enumerated() {
            for earlier in requirements[..<index]
            where !pool.contains(where: { earlier.spec.matches($0) && later.spec.matches($0) }) {
                return .conflict(earlier, later)
            }
        }
        return .conflict(requirements[0], requirements[requirements.count - 1])
    }

    // MARK: Candidates

    /// Records that could be chosen for `name`, best first.
    func candidates(for name: String, requirements: [CondaRequirement]) -> [CondaPackageRecord] {
        if name.hasPrefix("__") {
            return Self.sortedByPreference(virtualPackages.filter { $0.name.lowercased() == name }, installed: [])
        }
        var pool: [CondaPackageRecord]
        if requirements.contains(where: { $0.spec.channel != nil }) {
            pool = channelIndexes.flatMap { $0[name] ?? [] }
        } else {
            pool = channelIndexes.lazy.compactMap { $0[name] }.first ?? []
        }
        let installedHere = installed.filter { $0.name.lowercased() == name }
        for record in installedHere where !pool.contains(where: { Self.isSameBuild($0, record) }) {
            pool.append(record)
        }
        return Self.sortedByPreference(pool, installed: installedHere)
    }

    static func sortedByPreference(_ records: [CondaPackageRecord], installed: [CondaPackageRecord]) -> [CondaPackageRecord] {
        let keyed = records.map { record in
            (
                record: record, installed: installed.contains { isSameBuild($0, record) },
                version: try? CondaVersion(record.version), features: featureCount(record)
            )
        }
        return keyed.sorted { a, b in
            if a.installed != b.installed { return a.installed }
            switch (a.version, b.version) {
            case (let x?, let y?) where x != y: return x > y
            case (.some, nil): return true
            case (nil, .some): return false
            default: break
            }
            if a.features != b.features { return a.features < b.features }
            if a.record.buildNumber != b.record.buildNumber { return a.record.buildNumber > b.record.buildNumber }
            if (a.record.timestamp ?? 0) != (b.record.timestamp ?? 0) {
                return (a.record.timestamp ?? 0) > (b.record.timestamp ?? 0)
            }
            return (a.record.fn, a.record.url) < (b.record.fn, b.record.url)
        }.map(\.record)
    }

    static func featureCount(_ record: CondaPackageRecord) -> Int {
        (record.trackFeatures ?? "").split(whereSeparator: { $0 == "," || $0 == " " }).count
    }

    static func uniqueVersions(_ records: [CondaPackageRecord]) -> [String] {
        var seen: [String: CondaVersion?] = [:]
        for record in records where seen[record.version] == nil {
            seen[record.version] = try? CondaVersion(record.version)
        }
        return seen.sorted { a, b in
            switch (a.value, b.value) {
            case (let x?, let y?) where x != y: return x < y
            default: return a.key < b.key
            }
        }.map(\.key)
    }

    static func isSameBuild(_ a: CondaPackageRecord, _ b: CondaPackageRecord) -> Bool {
        a.distName == b.distName && a.subdir == b.subdir
            && (a.channel.isEmpty || b.channel.isEmpty || MatchSpec.channelMatches(a.channel, b.channel))
    }

    // MARK: Result

    private func solution(from state: SearchState) -> CondaSolution {
        let real = state.chosen.filter { !$0.key.hasPrefix("__") }
        let ordered = Self.dependencyOrder(real)
        let toInstall = ordered.filter { record in !installed.contains { Self.isSameBuild($0, record) } }
        let toRemove = installed.filter { record in !ordered.contains { Self.isSameBuild($0, record) } }
        return CondaSolution(records: ordered, toInstall: toInstall, toRemove: toRemove)
    }

    /// Dependencies before dependents; ties and cycles broken by name.
    static func dependencyOrder(_ chosen: [String: CondaPackageRecord]) -> [CondaPackageRecord] {
        var remaining = chosen
        var dependencies: [String: Set<String>] = [:]
        for (name, record) in chosen {
            let names = record.depends.compactMap { try? MatchSpec($0).name }.filter { chosen[$0] != nil && $0 != name }
            dependencies[name] = Set(names)
        }
        var ordered: [CondaPackageRecord] = []
        while !remaining.isEmpty {
            let ready = remaining.keys.filter { dependencies[$0, default: []].isDisjoint(with: remaining.keys) }.sorted()
            let batch = ready.isEmpty ? [remaining.keys.sorted()[0]] : ready
            for name in batch {
                ordered.append(remaining.removeValue(forKey: name)!)
            }
        }
        return ordered
    }
}

/// What the search has decided so far; copied at each decision so backtracking is free.
struct SearchState {
    var chosen: [String: CondaPackageRecord] = [:]
    var requirements: [String: [CondaRequirement]] = [:]
    var constraints: [String: [CondaRequirement]] = [:]
    /// Required names not decided yet, in the order they became required.
    var pending: [String] = []

    mutating func require(_ requirement: CondaRequirement) {
        let name = requirement.spec.name
        requirements[name, default: []].append(requirement)
        if chosen[name] == nil, !pending.contains(name) { pending.append(name) }
    }
}

/// Counts steps and keeps the deepest failure for the error message.
final class SearchLog {
    var steps = 0
    var deepestFailure: (error: CondaSolverError, depth: Int)?

    func record(_ error: CondaSolverError, depth: Int) {
        if deepestFailure == nil || depth > deepestFailure!.depth { deepestFailure = (error, depth) }
    }
}
