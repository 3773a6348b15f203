import Foundation

/// Why a string is not a PEP 440 version specifier.
public struct VersionSpecifierError: Error, Sendable, Hashable, CustomStringConvertible {
    public var text: String
    public var reason: String
    public var description: String { "invalid version specifier '\(text)': \(reason)" }
}

/// One PEP 440 clause: `>=2.1`, `~=1.4.2`, `==3.*`, `!=1.0.post1`, `===foo`.
public struct VersionSpecifier: Sendable, Hashable, CustomStringConvertible {
    public enum Operator: String, Sendable, Hashable, CaseIterable {
        case compatible = "~="
        case equal = "=="
        case notEqual = "!="
        case lessOrEqual = "<="
        case greaterOrEqual = ">="
        case less = "<"
        case greater = ">"
        case arbitrary = "==="
    }

    public var op: Operator
    /// The version as written (trimmed), without a trailing `.*`.
    public var versionText: String
    /// `==X.*` / `!=X.*`.
    public var isPrefixMatch: Bool
    /// Parsed `versionText`; nil only for `===` with a non-PEP 440 string.
    public var version: PythonVersion?

    /// Parses `op version`; whitespace around either part is ignored.
    public init(_ text: String) throws(VersionSpecifierError) {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        func fail(_ reason: String) -> VersionSpecifierError { VersionSpecifierError(text: text, reason: reason) }
        let ops = Operator.allCases.sorted { $0.rawValue.count > $1.rawValue.count }
        guard let op = ops.first(where: { trimmed.hasPrefix($0.rawValue) }) else {
            throw fail("expected one of ~= == != <= >= < > ===")
        }
        var rest = String(trimmed.dropFirst(op.rawValue.count)).trimmingCharacters(in: .whitespaces)
        if rest.isEmpty { throw fail("missing version") }
        if rest.contains(where: \.isWhitespace) { throw fail("whitespace inside the version") }
        self.op = op
        if op == .arbitrary {
            isPrefixMatch = false
            versionText = rest
            version = try? PythonVersion(rest)
            return
        }
        isPrefixMatch = rest.hasSuffix(".*")
        if isPrefixMatch {
            guard op == .equal || op == .notEqual else { throw fail("'.*' is only allowed with == and !=") }
            rest.removeLast(2)
        }
        versionText = rest
        let v: PythonVersion
        do { v = try PythonVersion(rest) } catch { throw fail(error.reason) }
        if isPrefixMatch, v.pre != nil || v.post != nil || v.dev != nil || !v.local.isEmpty {
            throw fail("'.*' may only follow release numbers")
        }
        if !v.local.isEmpty, op != .equal, op != .notEqual {
            throw fail("a local version is only allowed with == and !=")
        }
        if op == .compatible, v.release.count < 2 { throw fail("~= needs at least two release numbers") }
        version = v
    }

    public var description: String { op.rawValue + versionText + (isPrefixMatch ? ".*" : "") }

    /// Whether this clause by itself opts in to pre-releases: an inclusive operator naming a
    /// pre-release (`>=1.0b1`, `==2.0rc1`).
    public var mentionsPrerelease: Bool {
        guard op != .notEqual, let version else { return false }
        return version.isPrerelease
    }

    /// Whether `candidate` satisfies this clause. `prereleases` nil: allowed only if this clause
    /// mentions a pre-release.
    public func contains(_ candidate: PythonVersion, prereleases: Bool? = nil) -> Bool {
        if candidate.isPrerelease, !(prereleases ?? mentionsPrerelease) { return false }
        return matches(candidate)
    }

    /// `contains` for a string; an unparsable candidate only matches `===`.
    public func contains(_ candidate: String, prereleases: Bool? = nil) -> Bool {
        if let v = try? PythonVersion(candidate) { return contains(v, prereleases: prereleases) }
        return op == .arbitrary && candidate.lowercased() == versionText.lowercased()
    }

    /// The operator's rule alone, ignoring the pre-release policy.
    func matches(_ candidate: PythonVersion) -> Bool {
        if op == .arbitrary { return candidate.description.lowercased() == versionText.lowercased() }
        guard let spec = version else { return false }
        switch op {
        case .equal:
            return isPrefixMatch ? Self.prefixMatches(candidate, spec) : Self.equal(candidate, spec)
        case .notEqual:
            return !(isPrefixMatch ? Self.prefixMatches(candidate, spec) : Self.equal(candidate, spec))
        case .lessOrEqual:
            return candidate.public <= spec
        case .greaterOrEqual:
            return candidate.public >= spec
        case .less:
            guard candidate.public < spec else { return false }
            // `<3.0` does not admit 3.0rc1 unless the bound is itself a pre-release.
            if !spec.isPrerelease, candidate.isPrerelease, candidate.base == spec.base { return false }
            return true
        case .greater:
            guard candidate.public > spec else { return false }
            // `>3.0` does not admit 3.0.post1 (unless the bound is a post-release) nor 3.0+local.
            if !spec.isPostrelease, candidate.isPostrelease, candidate.base == spec.base { return false }
            if !candidate.local.isEmpty, candidate.base == spec.base { return false }
            return true
        case .compatible:
            var prefix = spec.base
            prefix.release.removeLast()
            return candidate.public >= spec && Self.prefixMatches(candidate, prefix)
        case .arbitrary:
            return false
        }
    }

    /// `==spec`: a local label on the candidate is ignored unless the spec has one.
    static func equal(_ candidate: PythonVersion, _ spec: PythonVersion) -> Bool {
        spec.local.isEmpty ? candidate.public == spec : candidate == spec
    }

    /// `==prefix.*`: same epoch, and the release (zero-padded) starts with the prefix.
    static func prefixMatches(_ candidate: PythonVersion, _ prefix: PythonVersion) -> Bool {
        guard candidate.epoch == prefix.epoch else { return false }
        for (i, n) in prefix.release.enumerated() where (i < candidate.release.count ? candidate.release[i] : 0) != n {
            return false
        }
        return true
    }
}

/// Comma-separated specifiers that must all hold: `>=1.2, <2, !=1.5.*`. Empty matches every
/// final release.
public struct SpecifierSet: Sendable, Hashable, CustomStringConvertible {
    public var specifiers: [VersionSpecifier]

    public init(_ specifiers: [VersionSpecifier] = []) { self.specifiers = specifiers }

    /// Parses `>=1.0,<2`; an empty or blank string is the empty set.
    public init(_ text: String) throws(VersionSpecifierError) {
        var list: [VersionSpecifier] = []
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if !trimmed.isEmpty {
            for part in trimmed.split(separator: ",", omittingEmptySubsequences: false) {
                list.append(try VersionSpecifier(String(part)))
            }
        }
        specifiers = list
    }

    public var isEmpty: Bool { specifiers.isEmpty }
    public var description: String { specifiers.map(\.description).joined(separator: ",") }
    public var mentionsPrerelease: Bool { specifiers.contains { $0.mentionsPrerelease } }

    /// Whether every clause admits `candidate`. `prereleases` nil: pre-releases only when some
    /// clause mentions one.
    public func contains(_ candidate: PythonVersion, prereleases: Bool? = nil) -> Bool {
        if candidate.isPrerelease, !(prereleases ?? mentionsPrerelease) { return false }
        return specifiers.allSatisfy { $0.matches(candidate) }
    }

    public func contains(_ candidate: String, prereleases: Bool? = nil) -> Bool {
        if let v = try? PythonVersion(candidate) { return contains(v, prereleases: prereleases) }
        return !specifiers.isEmpty && specifiers.allSatisfy { $0.contains(candidate, prereleases: prereleases) }
    }

    /// The versions this set admits, in the given order. With `prereleases` nil and no final
    /// release admitted, the admitted pre-releases (PEP 440: used when they are all there is).
    public func filter(_ versions: [PythonVersion], prereleases: Bool? = nil) -> [PythonVersion] {
        let found = versions.filter { contains($0, prereleases: prereleases) }
        if found.isEmpty, prereleases == nil { return versions.filter { contains($0, prereleases: true) } }
        return found
    }
}
