import Foundation

/// Walks a directory of the host in layer order (`LayerPathOrder`), turning what it finds into
/// entries: directories and regular files with their permission bits, symlinks as symlinks,
/// fifos and devices as such; sockets are skipped (tar cannot hold them). Owners are 0 and
/// times are left to the layer writer, unless `adjust` changes them.
public enum HostTree {
    /// Called for each entry with its path relative to the walked directory (`""` for the
    /// directory itself); may change mode, owner, mtime or xattrs (not the path or kind), and
    /// returns false to leave the entry out (a directory with its whole subtree).
    public typealias Adjust = (_ entry: inout TarEntry, _ relativePath: String) -> Bool

    /// Calls `visit` for `hostPath` itself (at `imagePath`, unless that is the root `""`) and
    /// everything below it, in order. `hostPath` is given for regular files, to read their data.
    public static func walk(
        _ hostPath: String, at imagePath: String, adjust: Adjust? = nil,
        visit: (_ entry: TarEntry, _ hostPath: String?) throws -> Void
    ) throws {
        let root = try EntryPath.normalizeAllowingRoot(imagePath)
        var info = stat()
        guard stat(hostPath, &info) == 0 else { throw ArchiveError.io(operation: "stat", path: hostPath, errno: errno) }
        guard info.st_mode & S_IFMT == S_IFDIR else {
            throw ArchiveError.invalidEntry(path: hostPath, reason: "not a directory")
        }
        if !root.isEmpty {
            var entry = TarEntry.directory(root, mode: UInt32(info.st_mode) & 0o7777)
            guard admit(&entry, "", adjust) else { return }
            try visit(entry, nil)
        }
        try walkChildren(of: hostPath, imageDirectory: root, relativeDirectory: "", adjust: adjust, visit: visit)
    }

    private static func walkChildren(
        of hostDirectory: String, imageDirectory: String, relativeDirectory: String, adjust: Adjust?,
        visit: (TarEntry, String?) throws -> Void
    ) throws {
        for name in try sortedNames(in: hostDirectory) {
            let hostPath = hostDirectory + "/" + name
            let imagePath = EntryPath.join(imageDirectory, name)
            let relativePath = EntryPath.join(relativeDirectory, name)
            var info = stat()
            guard lstat(hostPath, &info) == 0 else { throw ArchiveError.io(operation: "lstat", path: hostPath, errno: errno) }
            let mode = UInt32(info.st_mode) & 0o7777
            var entry: TarEntry
            switch info.st_mode & S_IFMT {
            case S_IFDIR:
                entry = .directory(imagePath, mode: mode)
            case S_IFREG:
                entry = .file(imagePath, size: Int64(info.st_size), mode: mode)
            case S_IFLNK:
                entry = .symlink(imagePath, target: try readLink(hostPath))
            case S_IFIFO:
                entry = TarEntry(path: imagePath, kind: .fifo, mode: mode)
            case S_IFCHR:
                entry = TarEntry(path: imagePath, kind: .characterDevice(major: major(info.st_rdev), minor: minor(info.st_rdev)), mode: mode)
            case S_IFBLK:
                entry = TarEntry(path: imagePath, kind: .blockDevice(major: major(info.st_rdev), minor: minor(info.st_rdev)), mode: mode)
            default:
                continue
            }
            guard admit(&entry, relativePath, adjust) else { continue }
            try visit(entry, entry.isRegular ? hostPath : nil)
            if entry.isDirectory {
                try walkChildren(of: hostPath, imageDirectory: imagePath, relativeDirectory: relativePath, adjust: adjust, visit: visit)
            }
        }
    }

    private static func admit(_ entry: inout TarEntry, _ relativePath: String, _ adjust: Adjust?) -> Bool {
        guard let adjust else { return true }
        let (path, kind) = (entry.path, entry.kind)
        guard adjust(&entry, relativePath) else { return false }
        entry.path = path
        entry.kind = kind
        return true
    }

    /// The names in a directory, without `.` and `..`, in layer order.
    static func sortedNames(in directory: String) throws -> [String] {
        guard let stream = opendir(directory) else { throw ArchiveError.io(operation: "open directory", path: directory, errno: errno) }
        defer { closedir(stream) }
        var names: [String] = []
        while true {
            errno = 0
            guard let record = readdir(stream) else {
                if errno != 0 { throw ArchiveError.io(operation: "read directory", path: directory, errno: errno) }
                break
            }
            let name = try withUnsafePointer(to: &record.pointee.d_name) { pointer in
                try pointer.withMemoryRebound(to: CChar.self, capacity: 256) { cName -> String in
                    guard let name = String(validatingCString: cName) else {
                        throw ArchiveError.invalidEntry(path: directory + "/" + String(cString: cName), reason: "its name is not valid UTF-8, which image layers built here must be")
                    }
                    return name
                }
            }
            if name == "." || name == ".." { continue }
            names.append(name)
        }
        return names.sorted { LayerPathOrder.compareNames($0, $1) < 0 }
    }

    static func readLink(_ path: String) throws -> String {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = readlink(path, &buffer, buffer.count - 1)
        guard count >= 0 else { throw ArchiveError.io(operation: "readlink", path: path, errno: errno) }
        let bytes = buffer[0..<count].map { UInt8(bitPattern: $0) }
        guard let target = String(validating: bytes, as: UTF8.self) else {
            throw ArchiveError.invalidEntry(path: path, reason: "its symlink target is not valid UTF-8")
        }
        return target
    }

    private static func major(_ device: dev_t) -> UInt32 {
        let value = UInt64(device)
        return UInt32(truncatingIfNeeded: ((value >> 8) & 0xfff) | ((value >> 32) & ~UInt64(0xfff)))
    }

    private static func minor(_ device: dev_t) -> UInt32 {
        let value = UInt64(device)
        return UInt32(truncatingIfNeeded: (value & 0xff) | ((value >> 12) & ~UInt64(0xff)))
    }
}
