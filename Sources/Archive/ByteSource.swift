/// A blocking source of bytes for `TarReader`: a file, a pipe, another archive's entry, or an
/// async chunk stream bridged to blocking reads.
public protocol ByteSource: AnyObject {
    /// Fills up to `buffer.count` bytes; returns 0 at the end of the input.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int
    /// Whether `seek` works (zip archives are read from their central directory when it does).
    var isSeekable: Bool { get }
    /// `lseek` semantics (`whence` is SEEK_SET, SEEK_CUR or SEEK_END); returns the new offset.
    func seek(offset: Int64, whence: Int32) throws -> Int64
    /// Releases the input.
    func close()
}

extension ByteSource {
    public var isSeekable: Bool { false }

    public func seek(offset: Int64, whence: Int32) throws -> Int64 {
        throw ArchiveError.invalidState("this byte source cannot seek")
    }

    public func close() {}
}
