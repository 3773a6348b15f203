import Foundation
import NIOCore
import OCI

/// Streams a file in fixed-size chunks, never holding it whole.
public enum FileChunks {
    public static let chunkSize = 1 << 20

    public static func read(path: String) throws -> ByteChunks {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw LayoutError.unreadable(path)
        }
        let reader = HandleReader(handle: handle)
        return ByteChunks(unfolding: { try reader.next() })
    }

    /// Writes all of a chunk to a file descriptor.
    public static func write(_ chunk: ByteBuffer, to descriptor: Int32, path: String) throws {
        try chunk.withUnsafeReadableBytes { bytes in
            var offset = 0
            while offset < bytes.count {
                let written = Foundation.write(descriptor, bytes.baseAddress?.advanced(by: offset), bytes.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    throw LayoutError.writeFailed(path, String(cString: strerror(errno)))
                }
                offset += written
            }
        }
    }
}

/// The state of one file stream; a single consumer calls `next()` sequentially.
final class HandleReader: @unchecked Sendable {
    private let handle: FileHandle
    private var done = false

    init(handle: FileHandle) {
        self.handle = handle
    }

    deinit { try? handle.close() }

    func next() throws -> ByteBuffer? {
        guard !done else { return nil }
        let data = try handle.read(upToCount: FileChunks.chunkSize) ?? Data()
        if data.isEmpty {
            done = true
            try? handle.close()
            return nil
        }
        return ByteBuffer(data: data)
    }
}

extension ByteBuffer {
    init(data: Data) {
        self = ByteBufferAllocator().buffer(capacity: data.count)
        writeBytes(data)
    }
}
