import Foundation

/// Writes bytes to a file descriptor, retrying short writes and interrupted calls.
public final class FileSink: ByteSink {
    public let fileDescriptor: Int32
    /// How the file is named in errors.
    public let path: String
    private let closesWhenDone: Bool
    private let syncsOnFinish: Bool
    private var isOpen = true

    /// Wraps an open descriptor. With `closeWhenDone`, `finish()` and `abort()` close it;
    /// with `syncOnFinish`, `finish()` calls `fsync` first.
    public init(fileDescriptor: Int32, path: String? = nil, closeWhenDone: Bool = true, syncOnFinish: Bool = false) {
        self.fileDescriptor = fileDescriptor
        self.path = path ?? "file descriptor \(fileDescriptor)"
        self.closesWhenDone = closeWhenDone
        self.syncsOnFinish = syncOnFinish
    }

    /// Writes to a `FileHandle` without taking ownership of it.
    public convenience init(fileHandle: FileHandle, syncOnFinish: Bool = false) {
        self.init(fileDescriptor: fileHandle.fileDescriptor, closeWhenDone: false, syncOnFinish: syncOnFinish)
    }

    /// Creates (or truncates) the file at `path` with mode 0644.
    public convenience init(path: String, syncOnFinish: Bool = false) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw ArchiveError.io(operation: "create", path: path, errno: errno) }
        self.init(fileDescriptor: fd, path: path, closeWhenDone: true, syncOnFinish: syncOnFinish)
    }

    deinit {
        if isOpen && closesWhenDone { close(fileDescriptor) }
    }

    public func write(_ bytes: UnsafeRawBufferPointer) throws {
        guard isOpen else { throw ArchiveError.invalidState("write to '\(path)' after it was closed") }
        guard var next = bytes.baseAddress else { return }
        var remaining = bytes.count
        while remaining > 0 {
            let written = Foundation.write(fileDescriptor, next, remaining)
            if written < 0 {
                if errno == EINTR { continue }
                throw ArchiveError.io(operation: "write", path: path, errno: errno)
            }
            remaining -= written
            next += written
        }
    }

    public func finish() throws {
        guard isOpen else { return }
        if syncsOnFinish, fsync(fileDescriptor) != 0 {
            let code = errno
            abort()
            throw ArchiveError.io(operation: "fsync", path: path, errno: code)
        }
        isOpen = false
        if closesWhenDone, close(fileDescriptor) != 0 {
            throw ArchiveError.io(operation: "close", path: path, errno: errno)
        }
    }

    public func abort() {
        guard isOpen else { return }
        isOpen = false
        if closesWhenDone { close(fileDescriptor) }
    }
}
