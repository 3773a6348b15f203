import Archive
import Foundation
import OCI
import Recipe

/// The entries a `copy` step puts in its layer: host files and directories under the step's
/// destination, with the step's mode and owner (else normalized: files 0644, or 0755 when the
/// host file is executable by its owner; directories 0755; owner 0:0), excluded paths left out.
/// A destination that is a symbolic link in the image is followed, as docker does.
struct CopyLayer {
    let step: CopyStep
    let filesystem: ImageFilesystem

    /// Calls `visit` with each entry (image path relative to `/`) and, for regular files, the
    /// host file to read. Sources in recipe order; each directory walked in layer order.
    func enumerate(_ visit: (TarEntry, String?) throws -> Void) throws {
        for source in step.sources {
            var info = stat()
            guard stat(source.absolute, &info) == 0 else {
                throw BuildError.unreadableSource(path: source.absolute, reason: String(cString: strerror(errno)))
            }
            switch info.st_mode & S_IFMT {
            case S_IFDIR:
                let target = relative(filesystem.resolve(step.destination) ?? step.destination)
                let adjust: HostTree.Adjust = { entry, relativePath in self.adjust(&entry, relativePath) }
                try HostTree.walk(source.absolute, at: target, adjust: adjust) { entry, host in try visit(entry, host) }
            case S_IFREG:
                guard let real = Self.realPath(source.absolute) else {
                    throw BuildError.unreadableSource(path: source.absolute, reason: "cannot resolve its symbolic links")
                }
                let name = (source.absolute as NSString).lastPathComponent
                var destination = filesystem.resolve(step.destination, followLast: step.destinationIsDirectory) ?? step.destination
                if step.destinationIsDirectory || filesystem.entry(destination)?.isDirectory == true {
                    destination = destination == "/" ? "/" + name : destination + "/" + name
                }
                let owner = step.owner ?? FileOwner(uid: 0, gid: 0)
                let entry = TarEntry.file(
                    relative(destination), size: Int64(info.st_size), mode: fileMode(hostMode: UInt32(info.st_mode)),
                    uid: Int(owner.uid), gid: Int(owner.gid))
                try visit(entry, real)
            default:
                throw BuildError.unreadableSource(path: source.absolute, reason: "it is neither a regular file nor a directory")
            }
        }
    }

    /// The layer's contents, ready to be written.
    func contents() throws -> LayerContents {
        var contents = LayerContents()
        try enumerate { entry, host in
            try contents.add(entry, source: host.map { LayerContents.Source.file(hostPath: $0) } ?? .none)
        }
        return contents
    }

    /// SHA-256 over every entry's path, type, mode, owner, link target and content: what the
    /// build cache compares to decide whether the step's layer can be reused.
    func inputDigest() throws -> Digest {
        var hasher = DigestHasher()
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
        defer { buffer.deallocate() }
        try enumerate { entry, host in
            var line = "\(entry.path)\u{0}\(entry.kind)\u{0}\(String(entry.mode, radix: 8))\u{0}\(entry.uid):\(entry.gid)"
            if let host {
                line += "\u{0}" + (try Self.contentDigest(host, buffer: buffer)).description
            }
            hasher.update(Array((line + "\n").utf8))
        }
        return hasher.finalize()
    }

    private func adjust(_ entry: inout TarEntry, _ relativePath: String) -> Bool {
        let owner = step.owner ?? FileOwner(uid: 0, gid: 0)
        if relativePath.isEmpty, let existing = filesystem.entry("/" + entry.path), existing.isDirectory {
            // The destination directory exists in the image: keep its attributes.
            entry.mode = existing.mode
            entry.uid = Int(existing.uid)
            entry.gid = Int(existing.gid)
            return true
        }
        if !relativePath.isEmpty, step.excludes(relativePath, isDirectory: entry.isDirectory) { return false }
        entry.uid = Int(owner.uid)
        entry.gid = Int(owner.gid)
        switch entry.kind {
        case .directory: entry.mode = directoryMode
        case .regular: entry.mode = fileMode(hostMode: entry.mode)
        default: break
        }
        return true
    }

    private func fileMode(hostMode: UInt32) -> UInt32 {
        if let mode = step.mode { return mode.bits }
        return hostMode & 0o100 != 0 ? 0o755 : 0o644
    }

    private var directoryMode: UInt32 {
        guard let bits = step.mode?.bits else { return 0o755 }
        return bits | ((bits & 0o444) >> 2)
    }

    private func relative(_ imagePath: String) -> String {
        String(imagePath.drop(while: { $0 == "/" }))
    }

    static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    static func contentDigest(_ path: String, buffer: UnsafeMutableRawBufferPointer) throws -> Digest {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw BuildError.unreadableSource(path: path, reason: String(cString: strerror(errno))) }
        defer { close(fd) }
        var hasher = DigestHasher()
        while true {
            let count = read(fd, buffer.baseAddress, buffer.count)
            if count < 0 {
                if errno == EINTR { continue }
                throw BuildError.unreadableSource(path: path, reason: String(cString: strerror(errno)))
            }
            if count == 0 { break }
            hasher.update(UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
        }
        return hasher.finalize()
    }
}
