import Foundation
import Python

/// Resolves requirements to wheels for one interpreter, as pip's resolver would for a
/// wheels-only install: the newest version that every requirement on a project allows (final
/// releases unless a specifier names a pre-release), the best-ranked compatible wheel of it,
/// `Requires-Dist` followed with markers and extras evaluated for the target, and distributions
/// already in the base kept when they satisfy every requirement (unless `upgrade`).
///
/// The search backtracks: a version whose dependencies conflict with choices already made is
/// dropped for the next one. When nothing works it reports the failure found deepest: the
/// requirement no wheel satisfies (versions seen, tags tried) or the two requirements in conflict.
public struct PipResolver: Sendable {
    /// A wheel given by path or URL, with its metadata read.
    public struct DirectWheel: Sendable {
        public var resolved: ResolvedWheel
        public var metadata: CoreMetadata

        public init(resolved: ResolvedWheel, metadata: CoreMetadata) {
            self.resolved = resolved
            self.metadata = metadata
        }
    }

    public struct Resolution: Sendable {
        /// The wheels to install, dependencies before dependents where the order is known.
        public var wheels: [ResolvedWheel]
        /// Normalized names the base already satisfies.
        public var satisfiedByBase: [String]
    }

    public let target: PythonTarget
    public let finder: PackageFinder
    public let store: any WheelStore
    /// Normalized name → installed version in the base.
    public let installed: [String: PythonVersion]
    public let upgrade: Bool
    public let maximumSteps: Int

    public init(
        target: PythonTarget, finder: PackageFinder, store: any WheelStore, installed: [String: PythonVersion], upgrade: Bool,
        maximumSteps: Int = 5000
    ) {
        self.target = target
        self.finder = finder
        self.store = store
        self.installed = installed
        self.upgrade = upgrade
        self.maximumSteps = maximumSteps
    }

    public func resolve(_ requirements: [Requirement], direct: [DirectWheel] = []) async throws -> Resolution {
        let search = Search(resolver: self, direct: direct)
        var state = State()
        for wheel in direct {
            state.add(Requirement(name: wheel.resolved.name, extras: [], specifier: SpecifierSet(), url: wheel.resolved.url, marker: nil), by: nil)
        }
        let environment = MarkerEnvironment(target: target)
        for requirement in requirements where requirement.applies(in: environment) {
            state.add(requirement, by: nil)
        }
        guard let solved = try await search.run(state, depth: 0) else {
            throw search.deepest?.error ?? PipError.conflict("no combination of versions satisfies \(requirements.map(\.description).joined(separator: ", "))")
        }
        var wheels: [ResolvedWheel] = []
        var kept: [String] = []
        for name in solved.order {
            switch solved.pins[name] {
            case .base?: kept.append(name)
            case .wheel(let candidate, _)?:
                wheels.append(ResolvedWheel(
                    name: name, version: candidate.version.description, filename: candidate.link.filename, url: candidate.link.url,
                    sha256: candidate.link.sha256 ?? "", requested: solved.requestedNames.contains(name), direct: false))
            case .direct(let wheel)?: wheels.append(wheel.resolved)
            case nil: break
            }
        }
        return Resolution(wheels: wheels.reversed(), satisfiedByBase: kept.sorted())
    }

    // MARK: Search state

    enum Pin: Sendable {
        case base(PythonVersion)
        case wheel(WheelCandidate, CoreMetadata)
        case direct(DirectWheel)

        var version: PythonVersion {
            switch self {
            case .base(let version): return version
            case .wheel(let candidate, _): return candidate.version
            case .direct(let wheel): return wheel.metadata.version
            }
        }

        var metadata: CoreMetadata? {
            switch self {
            case .base: return nil
            case .wheel(_, let metadata): return metadata
            case .direct(let wheel): return wheel.metadata
            }
        }
    }

    struct Constraint: Sendable {
        var requirement: Requirement
        /// `a 1.0`, or nil for the recipe.
        var requiredBy: String?

        var describedSource: String { requiredBy.map { "\($0) requires" } ?? "the recipe asks for" }
    }

    struct State: Sendable {
        var constraints: [String: [Constraint]] = [:]
        var pins: [String: Pin] = [:]
        var expandedExtras: [String: Set<String>] = [:]
        /// Names in the order they were first required.
        var order: [String] = []
        var requestedNames: Set<String> = []

        mutating func add(_ requirement: Requirement, by requiredBy: String?) {
            let name = requirement.normalizedName
            if constraints[name] == nil { order.append(name) }
            constraints[name, default: []].append(Constraint(requirement: requirement, requiredBy: requiredBy))
            if requiredBy == nil { requestedNames.insert(name) }
        }

        var nextUnpinned: String? { order.first { pins[$0] == nil } }

        func extras(of name: String) -> Set<String> {
            Set((constraints[name] ?? []).flatMap { $0.requirement.extras.map(ProjectName.normalize) })
        }
    }

    final class Search: @unchecked Sendable {
        struct Failure {
            var depth: Int
            var error: PipError
        }

        let resolver: PipResolver
        let direct: [String: DirectWheel]
        var steps = 0
        var deepest: Failure?
        var candidateCache: [String: [WheelCandidate]] = [:]
        var metadataCache: [String: CoreMetadata] = [:]
        let priorities: TagPriorities

        init(resolver: PipResolver, direct: [DirectWheel]) {
            self.resolver = resolver
            priorities = resolver.target.tagPriorities()
            self.direct = Dictionary(direct.map { (ProjectName.normalize($0.resolved.name), $0) }, uniquingKeysWith: { first, _ in first })
        }

        func fail(_ error: PipError, depth: Int) {
            if deepest == nil || depth >= deepest!.depth { deepest = Failure(depth: depth, error: error) }
        }

        func run(_ state: State, depth: Int) async throws -> State? {
            guard let name = state.nextUnpinned else { return state }
            let constraints = state.constraints[name] ?? []
            let options = try await self.options(for: name, constraints: constraints, depth: depth)
            for option in options {
                steps += 1
                if steps > resolver.maximumSteps {
                    throw PipError.conflict("gave up after \(resolver.maximumSteps) candidate versions; pin the main requirements more tightly")
                }
                var next = state
                next.pins[name] = option
                if let conflict = propagate(&next, depth: depth) {
                    fail(conflict, depth: depth)
                    continue
                }
                if let solved = try await run(next, depth: depth + 1) { return solved }
            }
            return nil
        }

        /// Adds the dependencies of every pinned distribution for its current extras; returns a
        /// conflict with an existing pin, if any.
        func propagate(_ state: inout State, depth: Int) -> PipError? {
            var changed = true
            while changed {
                changed = false
                for name in state.order {
                    guard let pin = state.pins[name], let metadata = pin.metadata else { continue }
                    let extras = state.extras(of: name)
                    if let expanded = state.expandedExtras[name], expanded.isSuperset(of: extras) { continue }
                    state.expandedExtras[name] = extras
                    let label = "\(name) \(pin.version)"
                    let environment = MarkerEnvironment(target: resolver.target, extras: extras)
                    for dependency in metadata.dependencies(in: environment) {
                        state.add(dependency, by: label)
                        let dependencyName = dependency.normalizedName
                        if let pinned = state.pins[dependencyName] {
                            if !allows(dependency, pinned.version) {
                                let other = (state.constraints[dependencyName] ?? []).first { allows($0.requirement, pinned.version) }
                                return .conflict(
                                    "\(label) requires \(dependency), but \(other?.describedSource ?? "an earlier choice took") \(other.map { "\($0.requirement)" } ?? "") and \(dependencyName) \(pinned.version) was chosen")
                            }
                            if !dependency.extras.isEmpty { changed = true }
                        }
                    }
                }
            }
            return nil
        }

        func allows(_ requirement: Requirement, _ version: PythonVersion) -> Bool {
            requirement.url != nil || requirement.specifier.contains(version, prereleases: true)
        }

        /// The ways to satisfy a project, best first.
        func options(for name: String, constraints: [Constraint], depth: Int) async throws -> [Pin] {
            let described = constraints.map { "\($0.requirement)" + ($0.requiredBy.map { " (from \($0))" } ?? "") }.joined(separator: ", ")
            if let wheel = direct[name] {
                guard constraints.allSatisfy({ allows($0.requirement, wheel.metadata.version) }) else {
                    fail(.conflict("\(wheel.resolved.filename) is given directly, but \(described) excludes version \(wheel.metadata.version)"), depth: depth)
                    return []
                }
                return [.direct(wheel)]
            }
            let prereleases = constraints.contains { $0.requirement.specifier.mentionsPrerelease }
            var options: [Pin] = []
            let isRequested = constraints.contains { $0.requiredBy == nil }
            if let version = resolver.installed[name], !(resolver.upgrade && isRequested),
               constraints.allSatisfy({ allows($0.requirement, version) }) {
                options.append(.base(version))
            }
            if candidateCache[name] == nil { candidateCache[name] = try await resolver.finder.candidates(for: name) }
            let all = candidateCache[name] ?? []
            var best: [PythonVersion: (Int, WheelCandidate)] = [:]
            var tagMismatch: [String] = []
            let pinnedExactly = constraints.contains { $0.requirement.specifier.specifiers.contains { $0.op == .equal || $0.op == .arbitrary } }
            for candidate in all {
                if candidate.link.yanked && !pinnedExactly { continue }
                guard constraints.allSatisfy({ $0.requirement.specifier.contains(candidate.version, prereleases: prereleases ? true : nil) }) else { continue }
                if let requires = candidate.link.requiresPython, let set = try? SpecifierSet(requires), !resolver.target.satisfies(requiresPython: set) { continue }
                guard let priority = priorities.priority(of: candidate.wheel) else {
                    tagMismatch.append(candidate.link.filename)
                    continue
                }
                let buildNumber = candidate.wheel.build?.number ?? 0
                let rank = priority * 1000 - buildNumber
                if let current = best[candidate.version], current.0 <= rank { continue }
                best[candidate.version] = (rank, candidate)
            }
            for (_, (_, candidate)) in best.sorted(by: { $0.key > $1.key }) {
                let metadata: CoreMetadata
                if let cached = metadataCache[candidate.link.filename] {
                    metadata = cached
                } else {
                    metadata = try await resolver.finder.metadata(of: candidate, store: resolver.store)
                    metadataCache[candidate.link.filename] = metadata
                }
                if let requires = metadata.requiresPython, !resolver.target.satisfies(requiresPython: requires) { continue }
                options.append(.wheel(candidate, metadata))
            }
            if options.isEmpty {
                let offered = resolver.finder.offered(for: name)
                let versions = Array(Set(all.map(\.version))).sorted(by: >).prefix(12).map(\.description)
                var detail = versions.isEmpty ? "no wheels of \(name) were found" : "versions with wheels: \(versions.joined(separator: ", "))"
                if !tagMismatch.isEmpty {
                    let tried = priorities.tags.prefix(4).map(\.description).joined(separator: ", ")
                    detail += "; wheels for other platforms or Pythons: \(tagMismatch.prefix(6).joined(separator: ", ")) (this image accepts \(tried), …)"
                }
                if offered.count > all.count { detail += "; source distributions are not built (wheels only)" }
                fail(.noCompatibleWheel(requirement: described, detail: detail), depth: depth)
            }
            return options
        }
    }
}
