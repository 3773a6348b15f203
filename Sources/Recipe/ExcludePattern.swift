/// A `copy` exclude pattern, matched against paths relative to a copied source directory.
///
/// - A pattern without `/` matches a name at any depth: `*.pyc`, `__pycache__`, `.git`.
/// - A pattern with `/` is anchored at the source directory: `build/tmp`, `docs/*.md` (a
///   leading `/` is allowed and means the same).
/// - `*` matches any characters except `/`, `?` one character, and a `**` component any number
///   of directories (`**/test_*.py`, `data/**/*.csv`).
/// - A trailing `/` matches directories only: `cache/`.
/// - Excluding a directory excludes everything below it.
public struct ExcludePattern: Sendable, Hashable, CustomStringConvertible {
    /// As written.
    public let pattern: String
    let components: [String]
    let anchored: Bool
    let directoryOnly: Bool

    public init?(_ pattern: String) {
        var body = Substring(pattern)
        let directoryOnly = body.hasSuffix("/")
        while body.hasSuffix("/") { body = body.dropLast() }
        let anchored = body.contains("/")
        let components = body.split(separator: "/").map(String.init).filter { $0 != "." }
        guard !components.isEmpty, !components.contains("..") else { return nil }
        self.pattern = pattern
        self.components = components
        self.anchored = anchored
        self.directoryOnly = directoryOnly
    }

    public var description: String { pattern }

    /// Whether the pattern matches this path (its components, relative to the source directory)
    /// itself; `CopyStep.excludes` also tries the path's parent directories.
    public func matches(_ relativePath: String, isDirectory: Bool) -> Bool {
        matches(components: relativePath.split(separator: "/").map(String.init), isDirectory: isDirectory)
    }

    func matches(components path: [String], isDirectory: Bool) -> Bool {
        guard !path.isEmpty, isDirectory || !directoryOnly else { return false }
        if anchored { return Self.match(components[...], path[...]) }
        guard let name = path.last, components.count == 1 else { return false }
        return Self.matchName(Array(components[0]), Array(name))
    }

    private static func match(_ pattern: ArraySlice<String>, _ path: ArraySlice<String>) -> Bool {
        guard let first = pattern.first else { return path.isEmpty }
        if first == "**" {
            let rest = pattern.dropFirst()
            for skip in 0...path.count where match(rest, path.dropFirst(skip)) { return true }
            return false
        }
        guard let name = path.first, matchName(Array(first), Array(name)) else { return false }
        return match(pattern.dropFirst(), path.dropFirst())
    }

    /// `*` and `?` within one path component.
    private static func matchName(_ pattern: [Character], _ name: [Character]) -> Bool {
        var p = 0, n = 0
        var starAt: Int?
        var resumeAt = 0
        while n < name.count {
            if p < pattern.count, pattern[p] == "?" || pattern[p] == name[n], pattern[p] != "*" {
                p += 1
                n += 1
            } else if p < pattern.count, pattern[p] == "*" {
                starAt = p
                resumeAt = n
                p += 1
            } else if let star = starAt {
                p = star + 1
                resumeAt += 1
                n = resumeAt
            } else {
                return false
            }
        }
        while p < pattern.count, pattern[p] == "*" { p += 1 }
        return p == pattern.count
    }
}

extension ExcludePattern {
    static func parse(_ text: String, field: Field, in context: RecipeParseContext) -> ExcludePattern? {
        if text.hasPrefix("!") {
            context.report(field, "negated exclude patterns ('!') are not supported", suggestion: "narrow the pattern instead")
            return nil
        }
        guard let pattern = ExcludePattern(text) else {
            context.report(field, "invalid exclude pattern \(Quoted.text(text)): it must name something below the source, without '..'")
            return nil
        }
        return pattern
    }
}
