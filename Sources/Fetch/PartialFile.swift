import Foundation

/// A download in progress: a temporary file next to its destination, hashed as it is
/// written, renamed into place only by `commit`. Used by one task at a time.
final class PartialFile: @unchecked Sendable {
    let path: String
    private var descriptor: Int32
    private(set) var hashes = StreamingHashes()

    init(path: String) throws {
        self.path = path
        descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw FetchError.io(path: path, reason: String(cString: strerror(errno))) }
    }

    deinit {
        if descriptor >= 0 { close(descriptor) }
    }

    func write(_ bytes: UnsafeRawBufferPointer) throws {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return }
        var written = 0
        while written < bytes.count {
            let result = Foundation.write(descriptor, base + written, bytes.count - written)
            if result < 0 {
                if errno == EINTR { continue }
                throw FetchError.io(path: path, reason: String(cString: strerror(errno)))
            }
            written += result
        }
        hashes.update(bytes)
    }

    /// Drops what was written (the server sent the whole file again instead of a range).
    func restart() throws {
        guard ftruncate(descriptor, 0) == 0, lseek(descriptor, 0, SEEK_SET) == 0 else {
            throw FetchError.io(path: path, reason: String(cString: strerror(errno)))
        }
        hashes = StreamingHashes()
    }

    /// Flushes, closes and renames the file to `destination`.
    func commit(to destination: String) throws {
        guard fsync(descriptor) == 0 else { throw FetchError.io(path: path, reason: String(cString: strerror(errno))) }
        close(descriptor)
        descriptor = -1
        guard rename(path, destination) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(path)
            throw FetchError.io(path: destination, reason: reason)
        }
    }

    func discard() {
        if descriptor >= 0 {
            close(descriptor)
            descriptor = -1
        }
        unlink(path)
    }
}
