/// One entry of `pip: {install: [...]}`: a requirement to resolve, a wheel URL or a local wheel.
public struct PipInstallItem: Sendable, Hashable, CustomStringConvertible {
    public enum Source: Sendable, Hashable {
        /// Resolved against the indexes and find-links pages.
        case requirement(PipRequirement)
        /// An `http(s)://` URL of a `.whl` file, without any `#sha256=` fragment.
        case wheelURL(String)
        /// A local `.whl` file, relative to the recipe.
        case wheelFile(HostPath)
    }

    public var source: Source
    /// Expected SHA-256 of the wheel (lowercase hex): from `sha256:` or a `#sha256=` URL fragment.
    public var sha256: String?
    public var location: SourceLocation

    public init(source: Source, sha256: String? = nil, location: SourceLocation) {
        self.source = source
        self.sha256 = sha256
        self.location = location
    }

    public var description: String {
        switch source {
        case .requirement(let requirement): return requirement.text
        case .wheelURL(let url): return url
        case .wheelFile(let path): return path.written
        }
    }
}

extension PipInstallItem: CanonicallyEncodable {
    var canonical: CanonicalValue {
        switch source {
        case .requirement(let requirement): return .object(["requirement": .string(requirement.text)])
        case .wheelURL(let url): return .object(["url": .string(url), "sha256": sha256.map(CanonicalValue.string)])
        case .wheelFile(let path): return .object(["path": .string(path.written), "sha256": sha256.map(CanonicalValue.string)])
        }
    }
}

extension PipInstallItem {
    static let keys = ["url", "path", "sha256"]
    static let expected = "a requirement string, a .whl path or URL, or a mapping {url: ..., sha256: ...} / {path: ...}"

    static func parse(_ field: Field, allowOutside: Bool, in context: RecipeParseContext) -> PipInstallItem? {
        if case .mapping = field.node {
            return parseMapping(field, allowOutside: allowOutside, in: context)
        }
        guard let text = field.nonEmptyString(in: context, expected: expected) else { return nil }
        let location = field.location(in: context)
        if text.contains("://") {
            guard let (url, sha256) = parseURL(text, field: field, in: context) else { return nil }
            return PipInstallItem(source: .wheelURL(url), sha256: sha256, location: location)
        }
        if text.lowercased().hasSuffix(".whl") {
            guard let path = context.hostPaths.check(text, field: field, allowOutside: allowOutside, kind: .file, in: context) else {
                return nil
            }
            return PipInstallItem(source: .wheelFile(path), location: location)
        }
        let lowered = text.lowercased()
        if text.hasPrefix(".") || text.hasPrefix("/") || [".tar.gz", ".tgz", ".zip", ".tar.bz2"].contains(where: lowered.hasSuffix) {
            context.report(
                field, "\(Quoted.text(text)) is not a wheel; smimg installs wheels only (no source distributions or project directories)",
                suggestion: "build a wheel (pip wheel) and list the .whl file")
            return nil
        }
        switch PipRequirement.parse(text) {
        case .success(let requirement):
            return PipInstallItem(source: .requirement(requirement), location: location)
        case .failure(let problem):
            context.report(field, "invalid requirement \(Quoted.text(text)): \(problem.reason)", suggestion: "write e.g. \"torch==2.1.0\" or \"faiss-cpu>=1.7\"")
            return nil
        }
    }

    private static func parseMapping(_ field: Field, allowOutside: Bool, in context: RecipeParseContext) -> PipInstallItem? {
        guard let map = MappingFields(field, keys: keys, expected: expected, in: context) else { return nil }
        var valid = true
        let pinned = map.optional("sha256", valid: &valid) { ContentHash.sha256($0, in: context) }
        let location = field.location(in: context)
        switch (map.value("url"), map.value("path")) {
        case (let urlField?, nil):
            guard let text = urlField.nonEmptyString(in: context, expected: "a .whl URL"),
                  let (url, fragmentHash) = parseURL(text, field: urlField, in: context), valid
            else { return nil }
            if let pinned, let fragmentHash, pinned != fragmentHash {
                context.report(urlField, "the URL's #sha256 fragment and sha256 differ")
                return nil
            }
            return PipInstallItem(source: .wheelURL(url), sha256: pinned ?? fragmentHash, location: location)
        case (nil, let pathField?):
            guard let text = pathField.nonEmptyString(in: context, expected: "a .whl path") else { return nil }
            guard text.lowercased().hasSuffix(".whl") else {
                context.report(pathField, "\(Quoted.text(text)) is not a .whl file; smimg installs wheels only")
                return nil
            }
            guard let path = context.hostPaths.check(text, field: pathField, allowOutside: allowOutside, kind: .file, in: context),
                  valid
            else { return nil }
            return PipInstallItem(source: .wheelFile(path), sha256: pinned, location: location)
        case (.some, .some):
            context.report(field, "give either url or path, not both")
            return nil
        case (nil, nil):
            _ = map.required("url", "the wheel's URL, or path: for a local wheel", in: context)
            return nil
        }
    }

    /// A wheel URL and the hash in its `#sha256=` fragment.
    private static func parseURL(_ text: String, field: Field, in context: RecipeParseContext) -> (String, String?)? {
        if let scheme = text.split(separator: ":").first, scheme.contains("+") {
            context.report(
                field, "\(Quoted.text(text)) is a version-control URL; smimg installs wheels only",
                suggestion: "build a wheel and list its URL or path")
            return nil
        }
        guard let url = HTTPURL.check(HTTPURL.withoutFragment(text), field: field, what: "an http:// or https:// URL of a .whl file", in: context) else {
            return nil
        }
        guard HTTPURL.pathPart(url).lowercased().hasSuffix(".whl") else {
            context.report(
                field, "\(Quoted.text(text)) does not name a .whl file",
                suggestion: "list wheel URLs here; put index pages in index_url/extra_index_urls and link pages in find_links")
            return nil
        }
        var sha256: String?
        if let fragment = HTTPURL.fragment(text) {
            let value = fragment.hasPrefix("sha256=") ? String(fragment.dropFirst(7)) : ""
            guard ContentHash.isHex(value, length: 64) else {
                context.report(field, "the URL fragment must be #sha256= followed by 64 hexadecimal digits (got #\(fragment))")
                return nil
            }
            sha256 = value.lowercased()
        }
        return (url, sha256)
    }
}
