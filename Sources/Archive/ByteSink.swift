import NIOCore

/// A destination for a stream of bytes: a file, a compressor, a hasher, another thread.
///
/// Sinks are chained (tar → hash → compressor → hash → file). They are used from one thread at
/// a time and are not `Sendable`. `finish()` ends the stream and finishes the downstream sink;
/// `abort()` abandons it, releasing resources and aborting downstream, and never throws.
public protocol ByteSink: AnyObject {
    func write(_ bytes: UnsafeRawBufferPointer) throws
    func finish() throws
    func abort()
}

extension ByteSink {
    public func write(_ buffer: ByteBuffer) throws {
        try buffer.withUnsafeReadableBytes { try write($0) }
    }

    public func write(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { try write($0) }
    }
}
