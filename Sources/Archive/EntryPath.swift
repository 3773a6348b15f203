/// Checks and normalizes archive entry paths.
public enum EntryPath {
    /// `a//b/./c/` → `a/b/c`; `./a` → `a`. Throws for absolute paths, `..` components, NUL bytes
    /// and paths that name nothing.
    public static func normalize(_ raw: String) throws -> String {
        if raw.utf8.contains(0) { throw ArchiveError.unsafePath(raw, reason: "it contains a NUL byte") }
        if raw.hasPrefix("/") { throw ArchiveError.unsafePath(raw, reason: "it is absolute") }
        let components = try components(of: raw)
        guard !components.isEmpty else { throw ArchiveError.unsafePath(raw, reason: "it names no file") }
        return components.joined(separator: "/")
    }

    /// Like `normalize`, but the archive root (`.`, `./`) is allowed and becomes `""`.
    public static func normalizeAllowingRoot(_ raw: String) throws -> String {
        if raw.utf8.contains(0) { throw ArchiveError.unsafePath(raw, reason: "it contains a NUL byte") }
        if raw.hasPrefix("/") { throw ArchiveError.unsafePath(raw, reason: "it is absolute") }
        return try components(of: raw).joined(separator: "/")
    }

    private static func components(of raw: String) throws -> [Substring] {
        var result: [Substring] = []
        for component in raw.split(separator: "/", omittingEmptySubsequences: true) {
            if component == "." { continue }
            if component == ".." { throw ArchiveError.unsafePath(raw, reason: "it contains a '..' component") }
            result.append(component)
        }
        return result
    }

    /// `a/b/c` → (`a/b`, `c`); `c` → (``, `c`).
    public static func split(_ path: String) -> (parent: String, name: String) {
        guard let slash = path.utf8.lastIndex(of: UInt8(ascii: "/")) else { return ("", path) }
        return (String(path[..<slash]), String(path[path.index(after: slash)...]))
    }

    public static func join(_ parent: String, _ name: String) -> String {
        parent.isEmpty ? name : parent + "/" + name
    }
}
