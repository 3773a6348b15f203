import Foundation

/// A conda package query (conda's `MatchSpec`), as requested by a user or written in a record's
/// `depends` and `constrains`.
///
/// Accepted forms:
/// - `numpy`, `numpy 1.20.*`, `numpy >=1.20,<2`, `pytorch 2.1.* *cuda*` (name, version, build);
/// - `numpy=1.20` (starts with 1.20, like `1.20.*`), `numpy==1.20` (exactly 1.20),
///   `numpy=1.20=py310_0` and `numpy 1.20 py310_0` (exact version and build);
///   a bare version after a space is exact: `numpy 1.7` does not match 1.7.1 (conda's own tests);
/// - `conda-forge::numpy`, `conda-forge/linux-64::numpy`, `https://host/channel::numpy`;
/// - brackets, which override the positional parts:
///   `numpy[version='>=1.20',build=py*,build_number=2,subdir=linux-64,md5=…,sha256=…,fn=…,url=…]`;
/// - a package URL or path ending in `.conda` or `.tar.bz2` (exact name, version, build and URL);
/// - a trailing `# comment` is ignored.
///
/// Build strings match as `*` globs (`py310*`), `^…$` regular expressions, or exactly.
public struct MatchSpec: Sendable, Hashable, CustomStringConvertible {
    /// Lower case; may be a `*` glob.
    public var name: String
    /// nil matches any version.
    public var version: VersionSpec?
    /// nil matches any build string.
    public var build: String?
    public var buildNumber: BuildNumberSpec?
    /// A channel name (`conda-forge`, `pkgs/main`) or URL.
    public var channel: String?
    public var subdir: String?
    public var md5: String?
    public var sha256: String?
    public var fileName: String?
    public var url: String?
    /// The spec as written (for messages); not part of equality.
    public var written: String

    public init(
        name: String, version: VersionSpec? = nil, build: String? = nil, buildNumber: BuildNumberSpec? = nil,
        channel: String? = nil, subdir: String? = nil, md5: String? = nil, sha256: String? = nil,
        fileName: String? = nil, url: String? = nil
    ) {
        self.name = name.lowercased()
        self.version = version?.matchesAll == true ? nil : version
        self.build = build == "*" ? nil : build
        self.buildNumber = buildNumber
        self.channel = channel
        self.subdir = subdir
        self.md5 = md5?.lowercased()
        self.sha256 = sha256?.lowercased()
        self.fileName = fileName
        self.url = url
        written = ""
        written = description
    }

    /// Parses a MatchSpec string; throws a ``MatchSpecError`` naming the spec and the problem.
    public init(_ text: String) throws(MatchSpecError) {
        self = try MatchSpecParser.parse(text)
    }

    /// Whether `record` satisfies every part of the spec.
    public func matches(_ record: CondaPackageRecord) -> Bool {
        guard nameMatches(record.name) else { return false }
        if let version, !version.matches(record.version) { return false }
        if let build, !Self.buildMatches(build, record.build) { return false }
        if let buildNumber, !buildNumber.matches(record.buildNumber) { return false }
        if let channel, !Self.channelMatches(channel, record.channel) { return false }
        if let subdir, subdir != record.subdir { return false }
        if let md5, md5 != record.md5?.lowercased() { return false }
        if let sha256, sha256 != record.sha256?.lowercased() { return false }
        if let fileName, fileName != record.fn { return false }
        if let url, url != record.url { return false }
        return true
    }

    /// Whether a package called `name` could match (the name part only).
    public func nameMatches(_ name: String) -> Bool {
        let name = name.lowercased()
        return self.name.contains("*") ? globMatches(self.name, name) : self.name == name
    }

    /// True when the spec names one package exactly (no glob).
    public var hasExactName: Bool { !name.contains("*") }

    /// A normal form that parses back to an equal spec:
    /// `[channel[/subdir]::]name[ version[ build]][[key=value,…]]`.
    public var description: String {
        var text = ""
        if let channel {
            text += channel + (subdir.map { "/" + $0 } ?? "") + "::"
        }
        text += name
        if version != nil || build != nil {
            text += " " + (version?.description ?? "*")
            if let build { text += " " + build }
        }
        var keys: [String] = []
        if channel == nil, let subdir { keys.append("subdir=\(subdir)") }
        if let buildNumber { keys.append("build_number='\(buildNumber)'") }
        if let md5 { keys.append("md5=\(md5)") }
        if let sha256 { keys.append("sha256=\(sha256)") }
        if let fileName { keys.append("fn='\(fileName)'") }
        if let url { keys.append("url='\(url)'") }
        if !keys.isEmpty { text += "[" + keys.joined(separator: ",") + "]" }
        return text
    }

    public static func == (lhs: MatchSpec, rhs: MatchSpec) -> Bool {
        lhs.description == rhs.description
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(description)
    }

    static func buildMatches(_ pattern: String, _ build: String) -> Bool {
        if pattern.hasPrefix("^"), pattern.hasSuffix("$") {
            guard let expression = try? NSRegularExpression(pattern: pattern) else { return false }
            return expression.firstMatch(in: build, range: NSRange(build.startIndex..., in: build)) != nil
        }
        return pattern.contains("*") ? globMatches(pattern, build) : pattern == build
    }

    /// `conda-forge` matches the record channel `https://conda.anaconda.org/conda-forge`; a URL
    /// matches itself (trailing slashes ignored).
    static func channelMatches(_ wanted: String, _ channel: String) -> Bool {
        let wanted = wanted.trimmingTrailingSlashes()
        let channel = channel.trimmingTrailingSlashes()
        if wanted == channel { return true }
        if wanted.contains("://") { return false }
        return channel.hasSuffix("/" + wanted)
    }
}

/// Why a MatchSpec string could not be parsed.
public enum MatchSpecError: Error, Sendable, Hashable, CustomStringConvertible {
    case invalid(String, reason: String)
    case invalidVersion(String, VersionSpecError)

    public var description: String {
        switch self {
        case .invalid(let spec, let reason): return "invalid package spec '\(spec)': \(reason)"
        case .invalidVersion(let spec, let error): return "invalid package spec '\(spec)': \(error)"
        }
    }
}

extension String {
    func trimmingTrailingSlashes() -> String {
        var text = self
        while text.hasSuffix("/") { text.removeLast() }
        return text
    }
}
