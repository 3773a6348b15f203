import Foundation

/// Why a file name is not a wheel name.
public struct WheelFilenameError: Error, Sendable, Hashable, CustomStringConvertible {
    public var filename: String
    public var reason: String
    public var description: String { "invalid wheel file name '\(filename)': \(reason)" }
}

/// `{name}-{version}(-{build})?-{python}-{abi}-{platform}.whl` (PEP 427), with compressed tag
/// sets (`py2.py3-none-any`) expanded to every combination.
public struct WheelFilename: Sendable, Hashable, CustomStringConvertible {
    /// As written in the file name (`-` in the name is escaped as `_`).
    public var name: String
    public var version: PythonVersion
    /// Build tag: leading digits and the rest, compared as (number, string).
    public var build: (number: Int, label: String)? {
        get { buildNumber.map { ($0, buildLabel) } }
        set {
            buildNumber = newValue?.number
            buildLabel = newValue?.label ?? ""
        }
    }
    private var buildNumber: Int?
    private var buildLabel = ""
    /// Every tag the wheel supports, in file-name order.
    public var tags: [WheelTag]
    /// The original file name.
    public var filename: String

    public init(_ filename: String) throws(WheelFilenameError) {
        func fail(_ reason: String) -> WheelFilenameError { WheelFilenameError(filename: filename, reason: reason) }
        guard filename.hasSuffix(".whl") else { throw fail("does not end in .whl") }
        let stem = filename.dropLast(4)
        let parts = stem.split(separator: "-", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 5 || parts.count == 6 else {
            throw fail("expected 5 or 6 '-'-separated parts, found \(parts.count)")
        }
        guard parts.allSatisfy({ !$0.isEmpty }) else { throw fail("empty part") }
        guard ProjectName.isValid(parts[0]) else { throw fail("bad project name '\(parts[0])'") }
        self.filename = filename
        name = parts[0]
        do { version = try PythonVersion(parts[1]) } catch { throw fail(error.description) }
        if parts.count == 6 {
            let b = parts[2]
            let digits = b.prefix(while: \.isASCII).prefix(while: \.isNumber)
            guard let n = Int(digits) else { throw fail("build tag '\(b)' does not start with a digit") }
            buildNumber = n
            buildLabel = String(b.dropFirst(digits.count))
        }
        let t = parts.suffix(3).map { $0.split(separator: ".", omittingEmptySubsequences: false).map(String.init) }
        guard t.allSatisfy({ $0.allSatisfy { !$0.isEmpty } }) else { throw fail("empty tag in a tag set") }
        var tags: [WheelTag] = []
        for py in t[0] {
            for abi in t[1] {
                for plat in t[2] { tags.append(WheelTag(interpreter: py, abi: abi, platform: plat)) }
            }
        }
        self.tags = tags
    }

    /// PEP 503 form of `name`.
    public var normalizedName: String { ProjectName.normalize(name) }

    public var description: String { filename }

    public static func == (l: WheelFilename, r: WheelFilename) -> Bool { l.filename == r.filename }
    public func hash(into hasher: inout Hasher) { hasher.combine(filename) }
}
