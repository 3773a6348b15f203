import Foundation

/// Why a string is not a PEP 440 version.
public struct PythonVersionError: Error, Sendable, Hashable, CustomStringConvertible {
    public var text: String
    public var reason: String
    public var description: String { "invalid Python version '\(text)': \(reason)" }
}

/// A PEP 440 version: `[N!]N(.N)*[{a|b|rc}N][.postN][.devN][+local]`, parsed leniently (the
/// spellings `alpha`, `beta`, `c`, `pre`, `preview`, `rev`, `r`, separators `-_.`, `1.0-1` as an
/// implicit post-release, a leading `v`) and printed in normal form.
///
/// Equality and ordering follow PEP 440: trailing zeros of the release do not count
/// (`1.0 == 1.0.0`), `1.0.dev0 < 1.0a1 < 1.0 < 1.0+local < 1.0.post1`.
public struct PythonVersion: Sendable, Hashable, Comparable, CustomStringConvertible, Codable {
    /// Pre-release phase, in ascending order.
    public enum PreKind: Int, Sendable, Hashable, Comparable, Codable {
        case alpha, beta, rc
        public var label: String { ["a", "b", "rc"][rawValue] }
        public static func < (l: PreKind, r: PreKind) -> Bool { l.rawValue < r.rawValue }
    }

    /// One dot-separated part of a local version label: numeric parts sort after strings.
    public enum LocalSegment: Sendable, Hashable, Codable, CustomStringConvertible {
        case number(Int)
        case string(String)
        public var description: String {
            switch self {
            case .number(let n): String(n)
            case .string(let s): s
            }
        }
    }

    public var epoch: Int
    public var release: [Int]
    public var pre: (kind: PreKind, number: Int)? {
        get { preKind.map { ($0, preNumber) } }
        set {
            preKind = newValue?.kind
            preNumber = newValue?.number ?? 0
        }
    }
    private var preKind: PreKind?
    private var preNumber: Int = 0
    public var post: Int?
    public var dev: Int?
    /// Empty for a public version.
    public var local: [LocalSegment]

    public init(
        epoch: Int = 0, release: [Int], pre: (kind: PreKind, number: Int)? = nil, post: Int? = nil,
        dev: Int? = nil, local: [LocalSegment] = []
    ) {
        precondition(!release.isEmpty, "a version has at least one release number")
        self.epoch = epoch
        self.release = release
        self.preKind = pre?.kind
        self.preNumber = pre?.number ?? 0
        self.post = post
        self.dev = dev
        self.local = local
    }

    /// Parses any PEP 440 spelling; surrounding whitespace is ignored.
    public init(_ text: String) throws(PythonVersionError) {
        var scanner = VersionScanner(text)
        do throws(VersionScanner.Failure) {
            self = try scanner.parseVersion()
        } catch {
            throw PythonVersionError(text: text, reason: error.reason)
        }
    }

    /// A pre-release or development release.
    public var isPrerelease: Bool { preKind != nil || dev != nil }
    public var isPostrelease: Bool { post != nil }
    public var isDevrelease: Bool { dev != nil }

    /// The version without its local label.
    public var `public`: PythonVersion {
        var v = self
        v.local = []
        return v
    }

    /// Epoch and release only: `1!2.0` of `1!2.0rc1.post2+x`.
    public var base: PythonVersion { PythonVersion(epoch: epoch, release: release) }

    /// The local label as written in normal form, `cu118`, or nil.
    public var localLabel: String? { local.isEmpty ? nil : local.map(\.description).joined(separator: ".") }

    public var description: String {
        var s = epoch == 0 ? "" : "\(epoch)!"
        s += release.map(String.init).joined(separator: ".")
        if let kind = preKind { s += "\(kind.label)\(preNumber)" }
        if let post { s += ".post\(post)" }
        if let dev { s += ".dev\(dev)" }
        if let label = localLabel { s += "+\(label)" }
        return s
    }

    // MARK: Ordering

    private var trimmedRelease: ArraySlice<Int> {
        var r = release[...]
        while r.count > 1, r.last == 0 { r = r.dropLast() }
        return r
    }

    /// -1, 0 or 1, as PEP 440 orders the two versions.
    public func compare(to other: PythonVersion) -> Int {
        func cmp<T: Comparable>(_ a: T, _ b: T) -> Int { a < b ? -1 : (a == b ? 0 : 1) }
        if epoch != other.epoch { return cmp(epoch, other.epoch) }
        let a = trimmedRelease, b = other.trimmedRelease
        for i in 0..<max(a.count, b.count) {
            let x = i < a.count ? a[a.startIndex + i] : 0
            let y = i < b.count ? b[b.startIndex + i] : 0
            if x != y { return cmp(x, y) }
        }
        // Pre-release key: a lone dev release sorts before any pre-release; none sorts last.
        func preKey(_ v: PythonVersion) -> (Int, Int, Int) {
            if let kind = v.preKind { return (1, kind.rawValue, v.preNumber) }
            if v.post == nil, v.dev != nil { return (0, 0, 0) }
            return (2, 0, 0)
        }
        let (p, q) = (preKey(self), preKey(other))
        if p != q { return p < q ? -1 : 1 }
        if post != other.post { return cmp(post ?? -1, other.post ?? -1) }
        if dev != other.dev { return cmp(dev ?? Int.max, other.dev ?? Int.max) }
        return Self.compareLocal(local, other.local)
    }

    private static func compareLocal(_ a: [LocalSegment], _ b: [LocalSegment]) -> Int {
        for (x, y) in zip(a, b) {
            switch (x, y) {
            case (.number(let m), .number(let n)) where m != n: return m < n ? -1 : 1
            case (.string(let s), .string(let t)) where s != t: return s < t ? -1 : 1
            case (.number, .string): return 1
            case (.string, .number): return -1
            default: continue
            }
        }
        return a.count == b.count ? 0 : (a.count < b.count ? -1 : 1)
    }

    public static func < (l: PythonVersion, r: PythonVersion) -> Bool { l.compare(to: r) < 0 }
    public static func == (l: PythonVersion, r: PythonVersion) -> Bool { l.compare(to: r) == 0 }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(epoch)
        hasher.combine(Array(trimmedRelease))
        hasher.combine(preKind)
        hasher.combine(preKind == nil ? 0 : preNumber)
        hasher.combine(post)
        hasher.combine(dev)
        hasher.combine(local)
    }

    // MARK: Codable as the normal-form string

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        self = try PythonVersion(text)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }
}

/// Hand-written scanner for the PEP 440 grammar (ASCII, case-insensitive).
struct VersionScanner {
    struct Failure: Error { var reason: String }

    let bytes: [UInt8]
    var i = 0

    init(_ text: String) {
        bytes = Array(text.trimmingCharacters(in: .whitespacesAndNewlines).lowercased().utf8)
    }

    var atEnd: Bool { i >= bytes.count }
    var current: UInt8? { i < bytes.count ? bytes[i] : nil }

    static func isDigit(_ b: UInt8) -> Bool { b >= 48 && b <= 57 }
    static func isAlnum(_ b: UInt8) -> Bool { isDigit(b) || (b >= 97 && b <= 122) }
    static func isSeparator(_ b: UInt8) -> Bool { b == 45 || b == 95 || b == 46 }  // - _ .

    mutating func number() throws(Failure) -> Int? {
        let start = i
        while let b = current, Self.isDigit(b) { i += 1 }
        if start == i { return nil }
        guard let n = Int(String(decoding: bytes[start..<i], as: UTF8.self)) else {
            throw Failure(reason: "number too large")
        }
        return n
    }

    /// Consumes one of `words` (longest first) at the cursor, optionally after a separator.
    mutating func word(_ words: [String], separatorBefore: Bool) -> String? {
        let save = i
        if separatorBefore, let b = current, Self.isSeparator(b) { i += 1 }
        for w in words.sorted(by: { $0.count > $1.count }) {
            let u = Array(w.utf8)
            if i + u.count <= bytes.count, Array(bytes[i..<i + u.count]) == u {
                i += u.count
                return w
            }
        }
        i = save
        return nil
    }

    /// An optional number after an optional separator; 0 when absent.
    mutating func optionalNumber() throws(Failure) -> Int {
        let save = i
        if let b = current, Self.isSeparator(b) { i += 1 }
        if let n = try number() { return n }
        i = save
        return 0
    }

    mutating func parseVersion() throws(Failure) -> PythonVersion {
        if atEnd { throw Failure(reason: "empty") }
        if current == UInt8(ascii: "v") { i += 1 }
        guard var first = try number() else { throw Failure(reason: "expected a release number") }
        var epoch = 0
        if current == UInt8(ascii: "!") {
            i += 1
            epoch = first
            guard let n = try number() else { throw Failure(reason: "expected a release number after the epoch") }
            first = n
        }
        var release = [first]
        while current == UInt8(ascii: "."), i + 1 < bytes.count, Self.isDigit(bytes[i + 1]) {
            i += 1
            release.append(try number()!)
        }
        var pre: (PythonVersion.PreKind, Int)?
        if let w = word(["a", "b", "c", "rc", "alpha", "beta", "pre", "preview"], separatorBefore: true) {
            let kind: PythonVersion.PreKind =
                switch w {
                case "a", "alpha": .alpha
                case "b", "beta": .beta
                default: .rc
                }
            pre = (kind, try optionalNumber())
        }
        var post: Int?
        if current == UInt8(ascii: "-"), i + 1 < bytes.count, Self.isDigit(bytes[i + 1]) {
            i += 1
            post = try number()
        } else if word(["post", "rev", "r"], separatorBefore: true) != nil {
            post = try optionalNumber()
        }
        var dev: Int?
        if word(["dev"], separatorBefore: true) != nil {
            dev = try optionalNumber()
        }
        var local: [PythonVersion.LocalSegment] = []
        if current == UInt8(ascii: "+") {
            i += 1
            while true {
                let start = i
                while let b = current, Self.isAlnum(b) { i += 1 }
                if start == i { throw Failure(reason: "malformed local version label") }
                let part = String(decoding: bytes[start..<i], as: UTF8.self)
                if part.utf8.allSatisfy(Self.isDigit), let n = Int(part) {
                    local.append(.number(n))
                } else {
                    local.append(.string(part))
                }
                guard let b = current, Self.isSeparator(b) else { break }
                i += 1
            }
        }
        if !atEnd {
            throw Failure(reason: "unexpected '\(String(decoding: bytes[i...], as: UTF8.self))'")
        }
        return PythonVersion(epoch: epoch, release: release, pre: pre, post: post, dev: dev, local: local)
    }
}
