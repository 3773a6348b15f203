import CZstd
import Foundation

/// Zstandard through libzstd's streaming `ZSTD_compressStream2`; no checksum, content size
/// unknown (the frame header does not announce it).
///
/// With `workers` ≥ 1 libzstd compresses on its own threads; its output is then the same for any
/// number of workers (but differs from single-threaded mode, `workers: 0`), so the default keeps
/// at least one worker on every machine for reproducible digests.
public final class ZstdCompressor: ByteSink {
    public static let defaultLevel = 3
    public static var supportedLevels: ClosedRange<Int> { Int(ZSTD_minCLevel())...Int(ZSTD_maxCLevel()) }
    /// One worker per core, at least one (for reproducible output) and at most 8.
    public static var defaultWorkers: Int { min(8, max(1, ProcessInfo.processInfo.activeProcessorCount)) }

    private let context: OpaquePointer
    private let output: UnsafeMutableRawPointer
    private let outputCapacity: Int
    private var outputCount = 0
    private let downstream: any ByteSink
    private var isOpen = true

    public init(level: Int = ZstdCompressor.defaultLevel, workers: Int = ZstdCompressor.defaultWorkers,
                into downstream: any ByteSink, outputChunkSize: Int = 1 << 20) throws {
        guard Self.supportedLevels.contains(level) else {
            throw ArchiveError.invalidLevel(codec: "zstd", level: level, supported: Self.supportedLevels)
        }
        guard let context = ZSTD_createCCtx() else {
            throw ArchiveError.compression(codec: "zstd", message: "ZSTD_createCCtx failed (out of memory)")
        }
        self.context = context
        self.downstream = downstream
        outputCapacity = max(64 * 1024, outputChunkSize)
        output = .allocate(byteCount: outputCapacity, alignment: 64)
        do {
            try check(ZSTD_CCtx_setParameter(context, ZSTD_c_compressionLevel, Int32(level)))
            try check(ZSTD_CCtx_setParameter(context, ZSTD_c_checksumFlag, 0))
            if workers > 0 {
                try check(ZSTD_CCtx_setParameter(context, ZSTD_c_nbWorkers, Int32(workers)))
            }
        } catch {
            ZSTD_freeCCtx(context)
            output.deallocate()
            throw error
        }
    }

    deinit {
        ZSTD_freeCCtx(context)
        output.deallocate()
    }

    public func write(_ bytes: UnsafeRawBufferPointer) throws {
        guard isOpen else { throw ArchiveError.invalidState("zstd: write after finish") }
        guard let base = bytes.baseAddress, bytes.count > 0 else { return }
        var input = ZSTD_inBuffer(src: base, size: bytes.count, pos: 0)
        while input.pos < input.size {
            _ = try compressStep(&input, ZSTD_e_continue)
        }
    }

    public func finish() throws {
        guard isOpen else { throw ArchiveError.invalidState("zstd: finish called twice") }
        var input = ZSTD_inBuffer(src: nil, size: 0, pos: 0)
        while try compressStep(&input, ZSTD_e_end) != 0 {}
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

    /// Returns what `ZSTD_compressStream2` returns: for `ZSTD_e_end`, 0 once the frame is complete.
    private func compressStep(_ input: inout ZSTD_inBuffer, _ directive: ZSTD_EndDirective) throws -> Int {
        var out = ZSTD_outBuffer(dst: output + outputCount, size: outputCapacity - outputCount, pos: 0)
        let remaining = ZSTD_compressStream2(context, &out, &input, directive)
        try check(remaining)
        outputCount += out.pos
        if outputCount == outputCapacity {
            try downstream.write(UnsafeRawBufferPointer(start: output, count: outputCount))
            outputCount = 0
        }
        return remaining
    }

    private func check(_ code: Int) throws {
        if ZSTD_isError(code) != 0 {
            throw ArchiveError.compression(codec: "zstd", message: String(cString: ZSTD_getErrorName(code)))
        }
    }
}
