import Foundation

/// The steps of conda's `_parse_spec_str`: comment, package URL, brackets, channel, name, then
/// version and build.
enum MatchSpecParser {
    static let knownSubdirs: Set<String> = [
        "noarch", "linux-32", "linux-64", "linux-aarch64", "linux-armv6l", "linux-armv7l", "linux-ppc64",
        "linux-ppc64le", "linux-riscv64", "linux-s390x", "osx-64", "osx-arm64", "win-32", "win-64", "win-arm64",
        "emscripten-wasm32", "wasi-wasm32", "zos-z",
    ]
    static let bracketKeys: Set<String> = [
        "version", "build", "build_number", "channel", "subdir", "md5", "sha256", "fn", "url", "name",
    ]

    static func parse(_ written: String) throws(MatchSpecError) -> MatchSpec {
        func fail(_ reason: String) -> MatchSpecError { .invalid(written, reason: reason) }

        var text = written
        if let hash = text.firstIndex(of: "#") { text = String(text[..<hash]) }
        text = text.trimmingWhitespace()
        guard !text.isEmpty else { throw fail("it is empty") }

        if text.hasSuffix(".conda") || text.hasSuffix(".tar.bz2") {
            return try parsePackageLocation(text, written: written)
        }

        var brackets: [String: String] = [:]
        if let open = text.firstIndex(of: "[") {
            guard text.hasSuffix("]") else { throw fail("'[' without a closing ']' at the end") }
            let inside = String(text[text.index(after: open)..<text.index(before: text.endIndex)])
            brackets = try parseBrackets(inside, written: written)
            text = String(text[..<open]).trimmingWhitespace()
        }

        var channel: String?
        var subdir: String?
        if let separator = text.range(of: "::", options: .backwards) {
            let location = String(text[..<separator.lowerBound])
            text = String(text[separator.upperBound...])
            (channel, subdir) = splitChannel(location)
        }
        if let bracketChannel = brackets["channel"] {
            let (name, dir) = splitChannel(bracketChannel)
            channel = name ?? channel
            subdir = dir ?? subdir
        }
        if let bracketSubdir = brackets["subdir"] { subdir = bracketSubdir }

        let nameEnd = text.firstIndex { " =<>!~".contains($0) } ?? text.endIndex
        var name = String(text[..<nameEnd]).lowercased()
        let rest = String(text[nameEnd...]).trimmingWhitespace()
        if name.isEmpty, let bracketName = brackets["name"] { name = bracketName.lowercased() }
        guard !name.isEmpty else { throw fail("no package name") }
        guard name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-_.*".contains($0)) }) else {
            throw fail("'\(name)' is not a package name (letters, digits, - _ . and * globs)")
        }

        var versionText: String?
        var build: String?
        if !rest.isEmpty {
            guard !rest.contains("[") else { throw fail("'[' after the version") }
            var (version, buildPart) = splitVersionAndBuild(rest)
            // `=1.2` means `1.2*` unless a build follows (`=1.2=py_0` pins 1.2 exactly); `==1.2` is exact.
            if version.hasPrefix("=") {
                let afterEquals = String(version.dropFirst())
                if version.hasPrefix("=="), buildPart == nil {
                    version = String(version.dropFirst(2))
                } else if !afterEquals.contains(where: { "=,|".contains($0) }) {
                    version = buildPart == nil && !afterEquals.hasSuffix("*") ? afterEquals + "*" : afterEquals
                }
            }
            versionText = version.filter { !$0.isWhitespace }
            build = buildPart
        }
        if let bracketVersion = brackets["version"] { versionText = bracketVersion }
        if let bracketBuild = brackets["build"] { build = bracketBuild }

        var version: VersionSpec?
        if let versionText {
            do {
                version = try VersionSpec(versionText)
            } catch {
                throw .invalidVersion(written, error)
            }
        }
        var buildNumber: BuildNumberSpec?
        if let text = brackets["build_number"] {
            guard let parsed = BuildNumberSpec(text) else { throw fail("build_number '\(text)' is not a number") }
            buildNumber = parsed
        }
        var spec = MatchSpec(
            name: name, version: version, build: build, buildNumber: buildNumber, channel: channel, subdir: subdir,
            md5: brackets["md5"], sha256: brackets["sha256"], fileName: brackets["fn"], url: brackets["url"])
        spec.written = written
        return spec
    }

    /// conda's `_parse_version_plus_build`: the build is what follows the first space or `=` that
    /// is not part of an operator, when what follows has none of `-=,|<>`.
    static func splitVersionAndBuild(_ text: String) -> (version: String, build: String?) {
        let characters = Array(text)
        for index in characters.indices.dropFirst() where characters[index] == " " || characters[index] == "=" {
            guard !"=!~|,<>".contains(characters[index - 1]) else { continue }
            let build = String(characters[(index + 1)...]).trimmingWhitespace()
            guard !build.isEmpty, !build.contains(where: { "-=,|<>".contains($0) }) else { continue }
            return (String(characters[..<index]), build)
        }
        return (text, nil)
    }

    /// `conda-forge/linux-64` → (`conda-forge`, `linux-64`); `*` means any channel.
    static func splitChannel(_ location: String) -> (channel: String?, subdir: String?) {
        let location = location.trimmingTrailingSlashes()
        var channel: String? = location
        var subdir: String?
        if let slash = location.lastIndex(of: "/"), knownSubdirs.contains(String(location[location.index(after: slash)...])) {
            subdir = String(location[location.index(after: slash)...])
            channel = String(location[..<slash])
        }
        if channel == "*" || channel?.isEmpty == true { channel = nil }
        return (channel, subdir)
    }

    /// `key=value` pairs separated by commas or spaces; values may be quoted with ' or ".
    static func parseBrackets(_ text: String, written: String) throws(MatchSpecError) -> [String: String] {
        let characters = Array(text)
        var index = 0
        var result: [String: String] = [:]
        while index < characters.count {
            if characters[index] == "," || characters[index].isWhitespace {
                index += 1
                continue
            }
            var key = ""
            while index < characters.count, characters[index] != "=" {
                key.append(characters[index])
                index += 1
            }
            key = key.trimmingWhitespace()
            guard index < characters.count, !key.isEmpty else {
                throw .invalid(written, reason: "expected key=value inside [...], found '\(key)'")
            }
            guard bracketKeys.contains(key) else {
                throw .invalid(written, reason: "unknown key '\(key)' inside [...]")
            }
            index += 1
            var value = ""
            if index < characters.count, characters[index] == "'" || characters[index] == "\"" {
                let quote = characters[index]
                index += 1
                while index < characters.count, characters[index] != quote {
                    value.append(characters[index])
                    index += 1
                }
                guard index < characters.count else { throw .invalid(written, reason: "unterminated quote for '\(key)'") }
                index += 1
            } else {
                while index < characters.count, characters[index] != ",", !characters[index].isWhitespace {
                    value.append(characters[index])
                    index += 1
                }
            }
            guard !value.isEmpty else { throw .invalid(written, reason: "empty value for '\(key)'") }
            result[key] = value
        }
        return result
    }

    /// `https://conda.anaconda.org/conda-forge/linux-64/numpy-1.26.4-py310h_0.conda`.
    static func parsePackageLocation(_ text: String, written: String) throws(MatchSpecError) -> MatchSpec {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        // Epochs appear percent-encoded in URLs: `x264-1%21164.3095-h166bdaf_2.tar.bz2`.
        let fileName = parts[parts.count - 1].removingPercentEncoding ?? parts[parts.count - 1]
        guard let (name, version, build) = PackageFileName.split(fileName) else {
            throw .invalid(written, reason: "'\(fileName)' is not a name-version-build package file name")
        }
        var channel: String?
        var subdir: String?
        if parts.count >= 3, knownSubdirs.contains(parts[parts.count - 2]) {
            subdir = parts[parts.count - 2]
            channel = parts[..<(parts.count - 2)].joined(separator: "/")
        }
        let exactVersion: VersionSpec
        do {
            exactVersion = try VersionSpec("==" + version)
        } catch {
            throw .invalidVersion(written, error)
        }
        var spec = MatchSpec(
            name: name, version: exactVersion, build: build, channel: channel, subdir: subdir, fileName: fileName,
            url: text.contains("://") ? text : nil)
        spec.written = written
        return spec
    }
}
