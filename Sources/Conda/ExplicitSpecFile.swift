import Foundation

/// conda's explicit environment file (`conda list --explicit --md5`): comment lines, an
/// `@EXPLICIT` marker, then one package URL per line with an optional `#<md5>` or
/// `#sha256:<hex>` fragment.
///
/// ```
/// # This file may be used to create an environment using:
/// # $ conda create --name <env> --file <this file>
/// # platform: linux-64
/// @EXPLICIT
/// https://conda.anaconda.org/conda-forge/linux-64/libzlib-1.3.1-h4ab18f5_1.conda#57d7dc60e9325e3de37ff8dffd18e814
/// ```
public struct ExplicitSpecFile: Sendable, Hashable {
    /// One package line.
    public struct Entry: Sendable, Hashable {
        /// The URL without its fragment.
        public var url: String
        /// Lowercase hex, when the line pins an MD5.
        public var md5: String?
        /// Lowercase hex, when the line pins a SHA-256.
        public var sha256: String?
        /// The package file name, percent-decoded (`x264-1!164.3095-h166bdaf_2.tar.bz2`).
        public var fileName: String
        public var name: String
        public var version: String
        public var build: String
        /// The subdir directory the file sits in (`linux-64`, `noarch`).
        public var subdir: String
        /// The URL up to the subdir: `https://conda.anaconda.org/conda-forge`.
        public var channel: String
        /// 1-based line in the parsed text (0 for entries built in code).
        public var line: Int

        public init(
            url: String, md5: String? = nil, sha256: String? = nil, fileName: String, name: String, version: String,
            build: String, subdir: String, channel: String, line: Int = 0
        ) {
            self.url = url
            self.md5 = md5
            self.sha256 = sha256
            self.fileName = fileName
            self.name = name
            self.version = version
            self.build = build
            self.subdir = subdir
            self.channel = channel
            self.line = line
        }
    }

    /// From the `# platform: …` comment, if any.
    public var platform: String?
    public var entries: [Entry]

    public init(platform: String?, entries: [Entry]) {
        self.platform = platform
        self.entries = entries
    }

    /// Parses the file; a package line before `@EXPLICIT` or a malformed line is an error naming
    /// its line number.
    public init(parsing text: String) throws(ExplicitSpecError) {
        platform = nil
        entries = []
        var sawMarker = false
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let number = index + 1
            let line = String(rawLine).trimmingWhitespace()
            if line.isEmpty { continue }
            if line.hasPrefix("#") {
                let comment = line.dropFirst().trimmingPrefix(while: \.isWhitespace)
                if comment.hasPrefix("platform:") {
                    platform = String(comment.dropFirst("platform:".count)).trimmingWhitespace()
                }
                continue
            }
            if line == "@EXPLICIT" {
                sawMarker = true
                continue
            }
            guard sawMarker else {
                throw .missingMarker(line: number, text: line)
            }
            entries.append(try Self.parseEntry(line, number: number))
        }
        guard sawMarker else { throw .missingMarker(line: 0, text: "") }
    }

    static func parseEntry(_ line: String, number: Int) throws(ExplicitSpecError) -> Entry {
        func fail(_ reason: String) -> ExplicitSpecError { .badLine(line: number, text: line, reason: reason) }

        var url = line
        var md5: String?
        var sha256: String?
        if let hash = line.firstIndex(of: "#") {
            url = String(line[..<hash])
            let fragment = String(line[line.index(after: hash)...]).lowercased()
            if fragment.hasPrefix("sha256:") {
                sha256 = String(fragment.dropFirst("sha256:".count))
                guard isHex(sha256!, length: 64) else { throw fail("'#sha256:' must be followed by 64 hex digits") }
            } else {
                md5 = fragment
                guard isHex(fragment, length: 32) else {
                    throw fail("the fragment must be an MD5 (32 hex digits) or sha256:<64 hex digits>")
                }
            }
        }
        guard let schemeEnd = url.range(of: "://"), !url.contains(where: \.isWhitespace) else {
            throw fail("expected a package URL (https://…, file://…)")
        }
        let scheme = url[..<schemeEnd.lowerBound].lowercased()
        guard ["https", "http", "file"].contains(scheme) else { throw fail("unsupported URL scheme '\(scheme)'") }
        let parts = url.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        let fileName = parts[parts.count - 1].removingPercentEncoding ?? parts[parts.count - 1]
        guard let (name, version, build) = PackageFileName.split(fileName) else {
            throw fail("'\(fileName)' is not a name-version-build.conda or .tar.bz2 file")
        }
        let afterScheme = url[schemeEnd.upperBound...].split(separator: "/", omittingEmptySubsequences: false)
        guard afterScheme.count >= 3 else { throw fail("the URL must end in <channel>/<subdir>/<file>") }
        return Entry(
            url: url, md5: md5, sha256: sha256, fileName: fileName, name: name, version: version, build: build,
            subdir: parts[parts.count - 2], channel: parts[..<(parts.count - 2)].joined(separator: "/"), line: number)
    }

    static func isHex(_ text: String, length: Int) -> Bool {
        text.count == length && text.allSatisfy(\.isHexDigit)
    }

    /// Which hash to pin on each line.
    public enum Pin: Sendable {
        /// `#<md5>` (conda's `--md5`), or `#sha256:` when a record has no MD5.
        case md5
        /// `#sha256:<hex>` (conda's `--sha256`), or `#<md5>` when a record has no SHA-256.
        case sha256
    }

    /// Writes `records` in the explicit format, sorted by name then URL so the text depends only
    /// on the set of records. Records without a hash get a bare URL.
    public static func render(_ records: [CondaPackageRecord], platform: String?, pin: Pin = .md5) -> String {
        var lines = [
            "# This file may be used to create an environment using:",
            "# $ conda create --name <env> --file <this file>",
        ]
        if let platform { lines.append("# platform: \(platform)") }
        lines.append("@EXPLICIT")
        for record in records.sorted(by: { ($0.name, $0.url) < ($1.name, $1.url) }) {
            let md5 = record.md5.map { "#" + $0.lowercased() }
            let sha256 = record.sha256.map { "#sha256:" + $0.lowercased() }
            let fragment = (pin == .md5 ? md5 ?? sha256 : sha256 ?? md5) ?? ""
            lines.append(record.url + fragment)
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A record with what an explicit line knows (no dependencies: explicit files are already
    /// solved).
    public static func record(for entry: Entry) -> CondaPackageRecord {
        CondaPackageRecord(
            name: entry.name, version: entry.version, build: entry.build,
            buildNumber: Int(entry.build.split(separator: "_").last ?? "") ?? 0, subdir: entry.subdir,
            fn: entry.fileName, url: entry.url, channel: entry.channel, md5: entry.md5, sha256: entry.sha256)
    }
}

/// Why an explicit file could not be read.
public enum ExplicitSpecError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A package line before `@EXPLICIT` (line 0: the marker is missing from the whole file).
    case missingMarker(line: Int, text: String)
    case badLine(line: Int, text: String, reason: String)

    public var description: String {
        switch self {
        case .missingMarker(0, _):
            return "not an explicit spec file: no @EXPLICIT line"
        case .missingMarker(let line, let text):
            return "line \(line): '\(text)' comes before the @EXPLICIT line"
        case .badLine(let line, let text, let reason):
            return "line \(line): '\(text)': \(reason)"
        }
    }
}
