import Foundation

/// A requirement string (PEP 508): `torch==2.1.0+cu118`, `faiss-cpu>=1.7,<2`,
/// `requests[socks]`, `foo; python_version < "3.8"`, `pkg @ https://host/pkg.whl`.
///
/// Only the structure is checked here; versions and markers are evaluated when the step is
/// resolved against the target interpreter.
public struct PipRequirement: Sendable, Hashable, CustomStringConvertible {
    /// The whole string as written, trimmed.
    public var text: String
    public var name: String
    public var extras: [String]
    /// Comma-separated version clauses (`>=1.7,<2`), empty for any version.
    public var specifier: String
    /// A direct URL after `@`.
    public var url: String?
    /// The environment marker after `;`.
    public var marker: String?

    public var normalizedName: String { PipPackageName.normalize(name) }

    public var description: String { text }

    static let operators = ["===", "~=", "==", "!=", "<=", ">=", "<", ">"]

    /// The parsed requirement, or why it is not one.
    static func parse(_ input: String) -> Result<PipRequirement, RequirementProblem> {
        let text = input.trimmingCharacters(in: .whitespaces)
        var rest = Substring(text)
        let name = rest.prefix { PipPackageName.isAlphanumeric($0) || $0 == "." || $0 == "_" || $0 == "-" }
        guard !name.isEmpty, PipPackageName.isValid(String(name)) else {
            return .failure(.init("it must start with a package name"))
        }
        rest = rest.dropFirst(name.count).drop { $0 == " " }
        var extras: [String] = []
        if rest.first == "[" {
            guard let close = rest.firstIndex(of: "]") else { return .failure(.init("'[' without ']'")) }
            extras = rest[rest.index(after: rest.startIndex)..<close]
                .split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            guard extras.allSatisfy(PipPackageName.isValid) else { return .failure(.init("invalid extra name")) }
            rest = rest[rest.index(after: close)...].drop { $0 == " " }
        }
        var marker: String?
        if let semicolon = rest.firstIndex(of: ";") {
            let markerText = rest[rest.index(after: semicolon)...].trimmingCharacters(in: .whitespaces)
            guard !markerText.isEmpty else { return .failure(.init("nothing after ';'")) }
            marker = markerText
            rest = rest[..<semicolon]
        }
        var specifier = rest.trimmingCharacters(in: .whitespaces)
        var url: String?
        if specifier.hasPrefix("@") {
            let target = specifier.dropFirst().trimmingCharacters(in: .whitespaces)
            guard target.contains("://") else { return .failure(.init("a direct reference after '@' must be a URL")) }
            url = target
            specifier = ""
        } else {
            if specifier.hasPrefix("("), specifier.hasSuffix(")") {
                specifier = String(specifier.dropFirst().dropLast()).trimmingCharacters(in: .whitespaces)
            }
            if !specifier.isEmpty {
                var clauses: [String] = []
                for clause in specifier.split(separator: ",", omittingEmptySubsequences: false) {
                    let trimmed = clause.trimmingCharacters(in: .whitespaces)
                    guard let op = operators.first(where: { trimmed.hasPrefix($0) }) else {
                        return .failure(.init("version clause \(Quoted.text(trimmed)) needs an operator (==, >=, <=, !=, ~=, <, >, ===)"))
                    }
                    let version = trimmed.dropFirst(op.count).trimmingCharacters(in: .whitespaces)
                    let allowed = version.allSatisfy { PipPackageName.isAlphanumeric($0) || ".*+!_-".contains($0) }
                    guard !version.isEmpty, allowed else {
                        return .failure(.init("version clause \(Quoted.text(trimmed)) has no valid version"))
                    }
                    clauses.append(op + version)
                }
                specifier = clauses.joined(separator: ",")
            }
        }
        return .success(PipRequirement(
            text: text, name: String(name), extras: extras, specifier: specifier, url: url, marker: marker))
    }

    struct RequirementProblem: Error {
        let reason: String
        init(_ reason: String) { self.reason = reason }
    }
}
