/// OCI layer whiteouts: `.wh.NAME` hides `NAME` (and its subtree) of lower layers, the opaque
/// marker `.wh..wh..opq` hides every lower child of its directory.
///
/// Written as empty regular files, mode 0, uid/gid 0, mtime 0, as the OCI image layer spec and
/// the writers of moby, containerd and umoci do.
public enum Whiteout: Hashable, Sendable {
    /// The entry removes `path` from the layers below.
    case remove(path: String)
    /// The entry hides all lower children of `directory` (`""` for the root).
    case opaque(directory: String)

    public static let prefix = ".wh."
    public static let opaqueMarker = ".wh..wh..opq"

    /// The whiteout entry that removes `path` (`a/b` → `a/.wh.b`).
    public static func entry(removing path: String) throws -> TarEntry {
        let clean = try EntryPath.normalize(path)
        let (parent, name) = EntryPath.split(clean)
        return TarEntry(path: EntryPath.join(parent, prefix + name), kind: .regular(size: 0), mode: 0, mtime: 0)
    }

    /// The opaque whiteout entry for `directory` (`a` → `a/.wh..wh..opq`; `""` for the root).
    public static func opaqueEntry(in directory: String) throws -> TarEntry {
        let clean = directory.isEmpty ? "" : try EntryPath.normalize(directory)
        return TarEntry(path: EntryPath.join(clean, opaqueMarker), kind: .regular(size: 0), mode: 0, mtime: 0)
    }

    /// What an entry read from a layer means as a whiteout, or nil for an ordinary entry.
    public init?(entryPath path: String) {
        let (parent, name) = EntryPath.split(path)
        if name == Self.opaqueMarker {
            self = .opaque(directory: parent)
        } else if name.hasPrefix(Self.prefix), name.count > Self.prefix.count {
            self = .remove(path: EntryPath.join(parent, String(name.dropFirst(Self.prefix.count))))
        } else {
            return nil
        }
    }
}
