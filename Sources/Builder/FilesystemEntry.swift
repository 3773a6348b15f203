/// One path of the merged filesystem of an image's layers, as `ImageFilesystem` reports it.
public struct FilesystemEntry: Sendable, Hashable {
    public enum Kind: UInt8, Sendable, Hashable {
        case regular, directory, symlink, hardLink, characterDevice, blockDevice, fifo
    }

    /// Absolute, normalized: `/usr/lib/python3/dist-packages`, `/` for the root.
    public var path: String
    public var kind: Kind
    /// Permission bits (`0o7777`).
    public var mode: UInt32
    public var uid: UInt32
    public var gid: UInt32
    /// Bytes of a regular file; 0 for everything else.
    public var size: Int64
    /// A symlink's target as stored, or a hard link's target as an absolute path.
    public var linkTarget: String?
    /// The layer that holds the entry, counted from 0 (the base's first layer).
    public var layer: Int

    public var isDirectory: Bool { kind == .directory }
    public var isRegular: Bool { kind == .regular }
    public var isSymlink: Bool { kind == .symlink }
}
