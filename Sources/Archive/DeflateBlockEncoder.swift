import CISAL

/// Compresses independent blocks of a deflate stream with ISA-L: each block is primed with the
/// last 32 KiB of the input before it (so matches reach back across the boundary) and ends in a
/// sync flush, so that encoded blocks concatenate into one valid deflate stream. One encoder
/// belongs to one thread; the output goes into a buffer the caller provides, grown if needed.
final class DeflateBlockEncoder {
    static let dictionarySize = 32 * 1024

    private let stream: UnsafeMutablePointer<isal_zstream>
    private let levelBuffer: UnsafeMutableRawPointer?
    private let level: Int

    init(level: Int) throws {
        guard GzipCompressor.supportedLevels.contains(level) else {
            throw ArchiveError.invalidLevel(codec: "gzip", level: level, supported: GzipCompressor.supportedLevels)
        }
        self.level = level
        stream = .allocate(capacity: 1)
        UnsafeMutableRawPointer(stream).initializeMemory(as: UInt8.self, repeating: 0, count: MemoryLayout<isal_zstream>.size)
        let size = Int(smimg_isal_level_buf_size(Int32(level)))
        levelBuffer = size > 0 ? UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 64) : nil
    }

    deinit {
        levelBuffer?.deallocate()
        stream.deallocate()
    }

    /// A buffer that holds the encoding of a block of `blockSize` bytes without growing:
    /// incompressible input grows a little (stored blocks), twice the block is ample.
    static func outputBuffer(blockSize: Int) -> UnsafeMutableRawBufferPointer {
        .allocate(byteCount: blockSize * 2 + 65536, alignment: 64)
    }

    /// Writes the deflate blocks for `input` (non-final, ending byte-aligned) into `output`,
    /// replacing it by a larger buffer if needed; returns the number of bytes written.
    func encode(_ input: UnsafeRawBufferPointer, dictionary: UnsafeRawBufferPointer,
                into output: inout UnsafeMutableRawBufferPointer) throws -> Int {
        isal_deflate_init(stream)
        stream.pointee.level = UInt32(level)
        if let levelBuffer {
            stream.pointee.level_buf = levelBuffer.assumingMemoryBound(to: UInt8.self)
            stream.pointee.level_buf_size = smimg_isal_level_buf_size(Int32(level))
        }
        stream.pointee.gzip_flag = UInt16(IGZIP_DEFLATE)
        stream.pointee.flush = UInt16(SYNC_FLUSH)
        stream.pointee.end_of_stream = 0
        if dictionary.count > 0, let base = dictionary.baseAddress {
            let status = isal_deflate_set_dict(stream, UnsafeMutablePointer(mutating: base.assumingMemoryBound(to: UInt8.self)), UInt32(dictionary.count))
            guard status == COMP_OK else {
                throw ArchiveError.compression(codec: "gzip (ISA-L)", message: "isal_deflate_set_dict returned \(status)")
            }
        }
        stream.pointee.next_in = UnsafeMutablePointer(mutating: input.baseAddress?.assumingMemoryBound(to: UInt8.self))
        stream.pointee.avail_in = UInt32(input.count)
        var produced = 0
        while true {
            if produced == output.count { output = Self.grow(output) }
            stream.pointee.next_out = output.baseAddress.map { ($0 + produced).assumingMemoryBound(to: UInt8.self) }
            stream.pointee.avail_out = UInt32(output.count - produced)
            let status = isal_deflate(stream)
            guard status == COMP_OK else {
                throw ArchiveError.compression(codec: "gzip (ISA-L)", message: "isal_deflate returned \(status)")
            }
            produced = output.count - Int(stream.pointee.avail_out)
            let flushed = stream.pointee.avail_in == 0 && stream.pointee.internal_state.state == ZSTATE_NEW_HDR
            if flushed && stream.pointee.avail_out > 0 { break }
        }
        return produced
    }

    private static func grow(_ buffer: UnsafeMutableRawBufferPointer) -> UnsafeMutableRawBufferPointer {
        let larger = UnsafeMutableRawBufferPointer.allocate(byteCount: buffer.count * 2, alignment: 64)
        larger.copyMemory(from: UnsafeRawBufferPointer(buffer))
        buffer.deallocate()
        return larger
    }
}
