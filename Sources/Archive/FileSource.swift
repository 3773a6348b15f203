import Foundation

/// Reads a file or pipe through its descriptor; seekable when it is a regular file.
public final class FileSource: ByteSource {
    public let fileDescriptor: Int32
    public let path: String
    public let isSeekable: Bool
    private let closesWhenDone: Bool
    private var isOpen = true

    /// Opens `path` for reading.
    public convenience init(path: String) throws {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw ArchiveError.io(operation: "open", path: path, errno: errno) }
        self.init(fileDescriptor: fd, path: path, closeWhenDone: true)
    }

    /// Reads an open descriptor; with `closeWhenDone`, `close()` closes it.
    public init(fileDescriptor: Int32, path: String? = nil, closeWhenDone: Bool = false) {
        self.fileDescriptor = fileDescriptor
        self.path = path ?? "file descriptor \(fileDescriptor)"
        self.closesWhenDone = closeWhenDone
        var info = stat()
        isSeekable = fstat(fileDescriptor, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG
    }

    deinit { close() }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        guard isOpen else { throw ArchiveError.invalidState("read from '\(path)' after close") }
        while true {
            let count = Foundation.read(fileDescriptor, buffer.baseAddress, buffer.count)
            if count >= 0 { return count }
            if errno == EINTR { continue }
            throw ArchiveError.io(operation: "read", path: path, errno: errno)
        }
    }

    public func seek(offset: Int64, whence: Int32) throws -> Int64 {
        let result = lseek(fileDescriptor, off_t(offset), whence)
        guard result >= 0 else { throw ArchiveError.io(operation: "seek", path: path, errno: errno) }
        return Int64(result)
    }

    public func close() {
        guard isOpen else { return }
        isOpen = false
        if closesWhenDone { Foundation.close(fileDescriptor) }
    }
}
