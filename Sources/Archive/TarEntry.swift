/// One archive entry's metadata: what `TarWriter` writes and `TarReader` reads.
///
/// `path` is relative, without a leading `/`, `./` or trailing `/` (the writer adds the trailing
/// `/` of directories); the root directory of an archive, when a reader meets one (`./`), has
/// the path `""`.
public struct TarEntry: Hashable, Sendable {
    public enum Kind: Hashable, Sendable {
        /// A regular file. `TarReader` reports size -1 when the archive does not say (zip
        /// entries read from a non-seekable stream); read the data to its end then.
        case regular(size: Int64)
        case directory
        case symlink(target: String)
        /// Typeflag `1`: the same file as `target`, an earlier path in the same archive.
        case hardLink(target: String)
        case characterDevice(major: UInt32, minor: UInt32)
        case blockDevice(major: UInt32, minor: UInt32)
        case fifo
    }

    public var path: String
    public var kind: Kind
    /// Permission bits, including setuid, setgid and sticky (`0o7777`).
    public var mode: UInt32
    public var uid: Int
    public var gid: Int
    public var uname: String
    public var gname: String
    /// Whole seconds since the epoch; `nil` lets the layer writer use its fixed time.
    public var mtime: Int64?
    /// Extended attributes, written as PAX `SCHILY.xattr.` records.
    public var xattrs: [String: [UInt8]]

    public init(path: String, kind: Kind, mode: UInt32, uid: Int = 0, gid: Int = 0,
                uname: String = "", gname: String = "", mtime: Int64? = nil, xattrs: [String: [UInt8]] = [:]) {
        self.path = path
        self.kind = kind
        self.mode = mode & 0o7777
        self.uid = uid
        self.gid = gid
        self.uname = uname
        self.gname = gname
        self.mtime = mtime
        self.xattrs = xattrs
    }

    /// Data bytes that follow the header: the size of a regular file, 0 for everything else.
    public var size: Int64 {
        if case .regular(let size) = kind { return size }
        return 0
    }

    /// The symlink or hard link target.
    public var linkTarget: String? {
        switch kind {
        case .symlink(let target), .hardLink(let target): return target
        default: return nil
        }
    }

    public var isDirectory: Bool { kind == .directory }
    public var isRegular: Bool { if case .regular = kind { return true } else { return false } }
    public var isSymlink: Bool { if case .symlink = kind { return true } else { return false } }
    public var isHardLink: Bool { if case .hardLink = kind { return true } else { return false } }

    // MARK: constructors

    public static func file(_ path: String, size: Int64, mode: UInt32 = 0o644, uid: Int = 0, gid: Int = 0, mtime: Int64? = nil) -> TarEntry {
        TarEntry(path: path, kind: .regular(size: size), mode: mode, uid: uid, gid: gid, mtime: mtime)
    }

    public static func directory(_ path: String, mode: UInt32 = 0o755, uid: Int = 0, gid: Int = 0, mtime: Int64? = nil) -> TarEntry {
        TarEntry(path: path, kind: .directory, mode: mode, uid: uid, gid: gid, mtime: mtime)
    }

    public static func symlink(_ path: String, target: String, uid: Int = 0, gid: Int = 0, mtime: Int64? = nil) -> TarEntry {
        TarEntry(path: path, kind: .symlink(target: target), mode: 0o777, uid: uid, gid: gid, mtime: mtime)
    }

    public static func hardLink(_ path: String, target: String, mode: UInt32 = 0o644, uid: Int = 0, gid: Int = 0, mtime: Int64? = nil) -> TarEntry {
        TarEntry(path: path, kind: .hardLink(target: target), mode: mode, uid: uid, gid: gid, mtime: mtime)
    }
}
