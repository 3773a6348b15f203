/// One entry of `conda: {install: [...]}`: a spec resolved from the channels, a package URL, or
/// a local package file (`.conda` or `.tar.bz2`).
public struct CondaInstallItem: Sendable, Hashable, CustomStringConvertible {
    public enum Source: Sendable, Hashable {
        case spec(CondaMatchSpec)
        /// An `http(s)://` URL of a `.conda` or `.tar.bz2` file, without its hash fragment.
        case packageURL(String)
        case packageFile(HostPath)
    }

    public var source: Source
    /// Expected SHA-256 (lowercase hex).
    public var sha256: String?
    /// Expected MD5 (lowercase hex), as conda's explicit lists give it.
    public var md5: String?
    public var location: SourceLocation

    public init(source: Source, sha256: String? = nil, md5: String? = nil, location: SourceLocation) {
        self.source = source
        self.sha256 = sha256
        self.md5 = md5
        self.location = location
    }

    public var description: String {
        switch source {
        case .spec(let spec): return spec.text
        case .packageURL(let url): return url
        case .packageFile(let path): return path.written
        }
    }

    static let packageExtensions = [".conda", ".tar.bz2"]

    static func isPackageName(_ text: String) -> Bool {
        packageExtensions.contains { text.lowercased().hasSuffix($0) }
    }
}

extension CondaInstallItem: CanonicallyEncodable {
    var canonical: CanonicalValue {
        let sha256 = self.sha256.map(CanonicalValue.string)
        let md5 = self.md5.map(CanonicalValue.string)
        switch source {
        case .spec(let spec): return .object(["spec": .string(spec.text)])
        case .packageURL(let url): return .object(["url": .string(url), "sha256": sha256, "md5": md5])
        case .packageFile(let path): return .object(["path": .string(path.written), "sha256": sha256, "md5": md5])
        }
    }
}

extension CondaInstallItem {
    static let keys = ["url", "path", "sha256", "md5"]
    static let expected = "a package spec, a .conda/.tar.bz2 path or URL, or a mapping {url: ..., sha256: ...} / {path: ...}"

    static func parse(_ field: Field, allowOutside: Bool, in context: RecipeParseContext) -> CondaInstallItem? {
        if case .mapping = field.node {
            return parseMapping(field, allowOutside: allowOutside, in: context)
        }
        guard let text = field.nonEmptyString(in: context, expected: expected) else { return nil }
        let location = field.location(in: context)
        if text.contains("://") {
            guard let (url, sha256, md5) = parseURL(text, field: field, in: context) else { return nil }
            return CondaInstallItem(source: .packageURL(url), sha256: sha256, md5: md5, location: location)
        }
        if isPackageName(text) {
            guard let path = context.hostPaths.check(text, field: field, allowOutside: allowOutside, kind: .file, in: context) else {
                return nil
            }
            return CondaInstallItem(source: .packageFile(path), location: location)
        }
        guard let spec = CondaMatchSpec.parse(text) else {
            context.report(
                field, "invalid package spec \(Quoted.text(text))",
                suggestion: "write e.g. \"faiss-gpu\", \"faiss-gpu=1.7.2\" or \"conda-forge::numpy>=1.24\"")
            return nil
        }
        return CondaInstallItem(source: .spec(spec), location: location)
    }

    private static func parseMapping(_ field: Field, allowOutside: Bool, in context: RecipeParseContext) -> CondaInstallItem? {
        guard let map = MappingFields(field, keys: keys, expected: expected, in: context) else { return nil }
        var valid = true
        let sha256 = map.optional("sha256", valid: &valid) { ContentHash.sha256($0, in: context) }
        let md5 = map.optional("md5", valid: &valid) { ContentHash.md5($0, in: context) }
        let location = field.location(in: context)
        switch (map.value("url"), map.value("path")) {
        case (let urlField?, nil):
            guard let text = urlField.nonEmptyString(in: context, expected: "a package URL"),
                  let (url, fragmentSHA, fragmentMD5) = parseURL(text, field: urlField, in: context), valid
            else { return nil }
            return CondaInstallItem(source: .packageURL(url), sha256: sha256 ?? fragmentSHA, md5: md5 ?? fragmentMD5, location: location)
        case (nil, let pathField?):
            guard let text = pathField.nonEmptyString(in: context, expected: "a package path") else { return nil }
            guard isPackageName(text) else {
                context.report(pathField, "\(Quoted.text(text)) is not a conda package; expected a .conda or .tar.bz2 file")
                return nil
            }
            guard let path = context.hostPaths.check(text, field: pathField, allowOutside: allowOutside, kind: .file, in: context),
                  valid
            else { return nil }
            return CondaInstallItem(source: .packageFile(path), sha256: sha256, md5: md5, location: location)
        case (.some, .some):
            context.report(field, "give either url or path, not both")
            return nil
        case (nil, nil):
            _ = map.required("url", "the package's URL, or path: for a local package", in: context)
            return nil
        }
    }

    /// A package URL and the hash in its fragment (`#<md5>` as in explicit lists, or `#sha256=<hex>`).
    private static func parseURL(_ text: String, field: Field, in context: RecipeParseContext) -> (String, String?, String?)? {
        guard let url = HTTPURL.check(HTTPURL.withoutFragment(text), field: field, what: "an http:// or https:// URL of a conda package", in: context) else {
            return nil
        }
        guard isPackageName(HTTPURL.pathPart(url)) else {
            context.report(
                field, "\(Quoted.text(text)) does not name a .conda or .tar.bz2 file",
                suggestion: "list package URLs here; put channel URLs in channels")
            return nil
        }
        guard let fragment = HTTPURL.fragment(text) else { return (url, nil, nil) }
        if ContentHash.isHex(fragment, length: 32) { return (url, nil, fragment.lowercased()) }
        for prefix in ["sha256=", "sha256:"] where fragment.hasPrefix(prefix) {
            let value = String(fragment.dropFirst(prefix.count))
            if ContentHash.isHex(value, length: 64) { return (url, value.lowercased(), nil) }
        }
        context.report(field, "the URL fragment must be an md5 (32 hexadecimal digits) or sha256= followed by 64 (got #\(fragment))")
        return nil
    }
}
