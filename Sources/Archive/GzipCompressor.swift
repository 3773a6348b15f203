import CISAL

/// Standard gzip (RFC 1952) through Intel ISA-L's streaming `isal_deflate`.
///
/// The header carries no file name and a zero modification time. ISA-L's output depends on how
/// the input is split across calls, so the input is handed to `isal_deflate` in fixed blocks of
/// `inputBlockSize` bytes whatever the sizes of the writes: the same bytes always compress to
/// the same output (for a given ISA-L build). Levels 0–3 are ISA-L's; each gets the level
/// buffer size the library recommends (`ISAL_DEF_LVLn_DEFAULT`), which also fixes the output.
public final class GzipCompressor: ByteSink {
    /// Level 3. Measured against `gzip -6`: on 1.2 GiB of /usr/lib and /usr/share, levels 1/2/3
    /// give 1.11×/1.10×/1.08× its size; on Python sources and on large shared libraries
    /// 1.16×/1.15×/1.13×. Only level 3 stays under the 1.15× target everywhere, and compressed
    /// on both cores (`ParallelGzipCompressor`) it still writes layers at ~12× `tar | gzip -6`.
    public static let defaultLevel = 3
    public static let supportedLevels: ClosedRange<Int> = 0...3
    /// The size of the input pieces given to ISA-L; part of what determines the output.
    public static let inputBlockSize = 1 << 20

    private let stream: UnsafeMutablePointer<isal_zstream>
    private let levelBuffer: UnsafeMutableRawPointer?
    private let output: UnsafeMutablePointer<UInt8>
    private let staging: UnsafeMutableRawPointer
    private var stagedCount = 0
    private let outputCapacity: Int
    private var outputCount = 0
    private let downstream: any ByteSink
    private var isOpen = true

    public init(level: Int = GzipCompressor.defaultLevel, into downstream: any ByteSink, outputChunkSize: Int = 1 << 20) throws {
        guard Self.supportedLevels.contains(level) else {
            throw ArchiveError.invalidLevel(codec: "gzip", level: level, supported: Self.supportedLevels)
        }
        self.downstream = downstream
        outputCapacity = max(64 * 1024, outputChunkSize)
        output = .allocate(capacity: outputCapacity)
        staging = .allocate(byteCount: Self.inputBlockSize, alignment: 64)
        stream = .allocate(capacity: 1)
        UnsafeMutableRawPointer(stream).initializeMemory(as: UInt8.self, repeating: 0, count: MemoryLayout<isal_zstream>.size)
        isal_deflate_init(stream)
        let levelBufferSize = Int(smimg_isal_level_buf_size(Int32(level)))
        if levelBufferSize > 0 {
            let buffer = UnsafeMutableRawPointer.allocate(byteCount: levelBufferSize, alignment: 64)
            levelBuffer = buffer
            stream.pointee.level_buf = buffer.assumingMemoryBound(to: UInt8.self)
            stream.pointee.level_buf_size = UInt32(levelBufferSize)
        } else {
            levelBuffer = nil
        }
        stream.pointee.level = UInt32(level)
        stream.pointee.gzip_flag = UInt16(IGZIP_GZIP)
        stream.pointee.flush = UInt16(NO_FLUSH)
        stream.pointee.end_of_stream = 0
    }

    deinit {
        levelBuffer?.deallocate()
        output.deallocate()
        staging.deallocate()
        stream.deallocate()
    }

    public func write(_ bytes: UnsafeRawBufferPointer) throws {
        guard isOpen else { throw ArchiveError.invalidState("gzip: write after finish") }
        guard let base = bytes.baseAddress else { return }
        let blockSize = Self.inputBlockSize
        var offset = 0
        if stagedCount > 0 {
            let count = min(blockSize - stagedCount, bytes.count)
            (staging + stagedCount).copyMemory(from: base, byteCount: count)
            stagedCount += count
            offset = count
            if stagedCount == blockSize {
                try deflate(UnsafeRawPointer(staging), count: blockSize)
                stagedCount = 0
            }
        }
        // Whole blocks straight from the caller's buffer, the rest staged for the next write.
        while bytes.count - offset >= blockSize {
            try deflate(base + offset, count: blockSize)
            offset += blockSize
        }
        if offset < bytes.count {
            staging.copyMemory(from: base + offset, byteCount: bytes.count - offset)
            stagedCount = bytes.count - offset
        }
    }

    private func deflate(_ input: UnsafeRawPointer, count: Int) throws {
        stream.pointee.next_in = UnsafeMutablePointer(mutating: input.assumingMemoryBound(to: UInt8.self))
        stream.pointee.avail_in = UInt32(count)
        while stream.pointee.avail_in > 0 {
            try deflateStep()
        }
    }

    public func finish() throws {
        guard isOpen else { throw ArchiveError.invalidState("gzip: finish called twice") }
        if stagedCount > 0 {
            try deflate(UnsafeRawPointer(staging), count: stagedCount)
            stagedCount = 0
        }
        stream.pointee.end_of_stream = 1
        stream.pointee.avail_in = 0
        while stream.pointee.internal_state.state != ZSTATE_END {
            try deflateStep()
        }
        isOpen = false
        if outputCount > 0 {
            try downstream.write(UnsafeRawBufferPointer(start: output, count: outputCount))
            outputCount = 0
        }
        try downstream.finish()
    }

    public func abort() {
        guard isOpen else { return }
        isOpen = false
        downstream.abort()
    }

    /// One `isal_deflate` call into the free part of the output buffer; full buffers go downstream.
    private func deflateStep() throws {
        let inputBefore = stream.pointee.avail_in
        let space = outputCapacity - outputCount
        stream.pointee.next_out = output + outputCount
        stream.pointee.avail_out = UInt32(space)
        let status = isal_deflate(stream)
        guard status == COMP_OK else {
            throw ArchiveError.compression(codec: "gzip (ISA-L)", message: Self.describe(status))
        }
        let produced = space - Int(stream.pointee.avail_out)
        outputCount += produced
        if outputCount == outputCapacity {
            try downstream.write(UnsafeRawBufferPointer(start: output, count: outputCount))
            outputCount = 0
        } else if produced == 0 && stream.pointee.avail_in == inputBefore
                    && stream.pointee.internal_state.state != ZSTATE_END && inputBefore > 0 {
            throw ArchiveError.compression(codec: "gzip (ISA-L)", message: "isal_deflate made no progress")
        }
    }

    private static func describe(_ status: Int32) -> String {
        switch status {
        case INVALID_FLUSH: return "invalid flush type (INVALID_FLUSH)"
        case ISAL_INVALID_LEVEL: return "invalid compression level (ISAL_INVALID_LEVEL)"
        case ISAL_INVALID_LEVEL_BUF: return "level buffer too small (ISAL_INVALID_LEVEL_BUF)"
        case ISAL_INVALID_STATE: return "invalid stream state (ISAL_INVALID_STATE)"
        default: return "isal_deflate returned \(status)"
        }
    }
}
