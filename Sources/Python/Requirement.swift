import Foundation

/// Why a string is not a PEP 508 requirement.
public struct RequirementError: Error, Sendable, Hashable, CustomStringConvertible {
    public var text: String
    public var reason: String
    public var description: String { "invalid requirement '\(text)': \(reason)" }
}

/// A PEP 508 dependency: `name[extra1,extra2] (>=1.0,<2) ; python_version < "3.11"` or
/// `name[extras] @ https://host/file.whl ; marker`.
public struct Requirement: Sendable, Hashable, CustomStringConvertible {
    /// As written.
    public var name: String
    /// As written, in order.
    public var extras: [String]
    public var specifier: SpecifierSet
    /// Direct reference (`name @ URL`); then `specifier` is empty.
    public var url: String?
    public var marker: MarkerExpression?

    public init(
        name: String, extras: [String] = [], specifier: SpecifierSet = SpecifierSet(), url: String? = nil,
        marker: MarkerExpression? = nil
    ) {
        self.name = name
        self.extras = extras
        self.specifier = specifier
        self.url = url
        self.marker = marker
    }

    /// PEP 503 form of `name`.
    public var normalizedName: String { ProjectName.normalize(name) }

    public init(_ text: String) throws(RequirementError) {
        func fail(_ reason: String) -> RequirementError { RequirementError(text: text, reason: reason) }
        var rest = Substring(text.trimmingCharacters(in: .whitespacesAndNewlines))
        func skipSpaces() { rest = rest.drop(while: { $0 == " " || $0 == "\t" }) }

        let nameEnd = rest.firstIndex { !($0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0))) } ?? rest.endIndex
        let name = String(rest[..<nameEnd])
        guard ProjectName.isValid(name) else { throw fail(name.isEmpty ? "missing project name" : "bad project name '\(name)'") }
        self.name = name
        rest = rest[nameEnd...]
        skipSpaces()

        extras = []
        if rest.first == "[" {
            guard let close = rest.firstIndex(of: "]") else { throw fail("missing ']'") }
            let inner = rest[rest.index(after: rest.startIndex)..<close].trimmingCharacters(in: .whitespaces)
            if !inner.isEmpty {
                for part in inner.split(separator: ",", omittingEmptySubsequences: false) {
                    let extra = part.trimmingCharacters(in: .whitespaces)
                    guard ProjectName.isValid(extra) else { throw fail("bad extra name '\(extra)'") }
                    extras.append(extra)
                }
            }
            rest = rest[rest.index(after: close)...]
            skipSpaces()
        }

        url = nil
        specifier = SpecifierSet()
        var markerText: Substring?
        if rest.first == "@" {
            rest = rest.dropFirst()
            skipSpaces()
            // The URL runs to whitespace; a marker must be separated from it by whitespace.
            let end = rest.firstIndex(where: \.isWhitespace) ?? rest.endIndex
            let link = String(rest[..<end])
            guard !link.isEmpty, link.contains(":") else { throw fail("expected a URL after '@'") }
            url = link
            rest = rest[end...]
            skipSpaces()
            if !rest.isEmpty {
                guard rest.first == ";" else { throw fail("expected ';' after the URL") }
                markerText = rest.dropFirst()
            }
        } else {
            let semicolon = rest.firstIndex(of: ";") ?? rest.endIndex
            var specText = rest[..<semicolon].trimmingCharacters(in: .whitespaces)
            if semicolon < rest.endIndex { markerText = rest[rest.index(after: semicolon)...] }
            if specText.hasPrefix("(") {
                guard specText.hasSuffix(")") else { throw fail("missing ')'") }
                specText = String(specText.dropFirst().dropLast())
            }
            do { specifier = try SpecifierSet(specText) } catch { throw fail(error.description) }
        }

        marker = nil
        if let markerText {
            do { marker = try MarkerExpression(String(markerText)) } catch { throw fail(error.description) }
        }
    }

    /// Whether this dependency applies in `environment` (no marker: always).
    public func applies(in environment: MarkerEnvironment) -> Bool { marker?.evaluate(environment) ?? true }

    public var description: String {
        var s = name
        if !extras.isEmpty { s += "[\(extras.joined(separator: ","))]" }
        if let url {
            s += " @ \(url)"
            if marker != nil { s += " " }
        } else {
            s += specifier.description
        }
        if let marker { s += "; \(marker)" }
        return s
    }
}
