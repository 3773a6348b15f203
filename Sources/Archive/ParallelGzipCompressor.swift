import CISAL
import Foundation

/// gzip compressed on several cores with ISA-L, in the manner of pigz: the input is cut into
/// fixed 1 MiB blocks, each compressed on a worker thread with the previous 32 KiB as its
/// dictionary and ending in a sync flush; the blocks are written in order (by whichever worker
/// completes the next block due, while the others go on compressing), followed by an empty
/// final block and the gzip trailer (CRC-32 computed as the input arrives, and size).
///
/// The output is standard gzip (header without name, mtime 0, OS 255 as Go writes it) and
/// depends only on the input bytes and the level — not on the number of threads nor on how the
/// input is split into writes — so layer digests are reproducible across machines with the same
/// ISA-L. Memory is bounded by the blocks in flight (about `threads + 2` MiB of input).
public final class ParallelGzipCompressor: ByteSink {
    public static let blockSize = 1 << 20
    /// One worker per core, at most 8 (each holds about 3 MiB of buffers).
    public static var defaultThreads: Int { min(8, max(1, ProcessInfo.processInfo.activeProcessorCount)) }
    static let header: [UInt8] = [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff]
    /// An empty final fixed-Huffman block: BFINAL=1, BTYPE=01, end-of-block.
    static let finalBlock: [UInt8] = [0x03, 0x00]

    private let downstream: any ByteSink
    private let work: GzipWorkQueue
    private let done = DispatchSemaphore(value: 0)
    private let threadCount: Int
    private var current: GzipJob?
    private var previousTail: [UInt8] = []
    private var nextIndex = 0
    private var crc: UInt32 = 0
    private var totalSize: UInt64 = 0
    private var isOpen = true

    public init(level: Int = GzipCompressor.defaultLevel, threads: Int = ParallelGzipCompressor.defaultThreads,
                into downstream: any ByteSink) throws {
        self.downstream = downstream
        threadCount = max(1, threads)
        let encoders = try (0..<threadCount).map { _ in try DeflateBlockEncoder(level: level) }
        work = GzipWorkQueue(capacity: threadCount + 2, blockSize: Self.blockSize)
        try downstream.write(Self.header)
        let output = HandOff(value: downstream)
        for (number, encoder) in encoders.enumerated() {
            let handOff = HandOff(value: encoder)
            let work = self.work, done = self.done
            let thread = Thread {
                Self.run(handOff.value, work: work, output: output.value)
                done.signal()
            }
            thread.name = "smimg-gzip-\(number)"
            thread.start()
        }
    }

    deinit { abort() }

    /// A worker: compresses jobs as they come; when it completes the block due next, it writes
    /// that block and every completed one after it.
    private static func run(_ encoder: DeflateBlockEncoder, work: GzipWorkQueue, output: any ByteSink) {
        while let job = work.take() {
            do {
                job.encodedCount = try encoder.encode(job.input.bytes, dictionary: job.dictionaryBytes, into: &job.encoded)
                var due = work.complete(job)
                while !due.isEmpty {
                    for ready in due {
                        try output.write(UnsafeRawBufferPointer(rebasing: ready.encoded[0..<ready.encodedCount]))
                    }
                    due = work.written(due)
                }
            } catch {
                work.fail(error)
                return
            }
        }
    }

    public func write(_ bytes: UnsafeRawBufferPointer) throws {
        guard isOpen else { throw ArchiveError.invalidState("gzip: write after finish") }
        guard let base = bytes.baseAddress, bytes.count > 0 else { return }
        crc = crc32_gzip_refl(crc, base.assumingMemoryBound(to: UInt8.self), UInt64(bytes.count))
        totalSize &+= UInt64(bytes.count)
        do {
            var offset = 0
            while offset < bytes.count {
                let job: GzipJob
                if let current {
                    job = current
                } else {
                    job = try work.makeJob()
                    current = job
                }
                let count = min(job.input.spare, bytes.count - offset)
                (job.input.base + job.input.count).copyMemory(from: base + offset, byteCount: count)
                job.input.count += count
                offset += count
                if job.input.spare == 0 { try submitCurrent() }
            }
        } catch {
            // A worker failed (its error is rethrown here): stop them all and give up the output.
            abort()
            throw error
        }
    }

    /// Hands the staged block to the workers, with the tail of the block before it as dictionary.
    private func submitCurrent() throws {
        guard let job = current, job.input.count > 0 else { return }
        current = nil
        job.index = nextIndex
        nextIndex += 1
        job.setDictionary(previousTail)
        let tailCount = min(DeflateBlockEncoder.dictionarySize, job.input.count)
        let tail = UnsafeRawBufferPointer(start: job.input.base + (job.input.count - tailCount), count: tailCount)
        if tailCount == DeflateBlockEncoder.dictionarySize {
            previousTail = Array(tail)
        } else {
            previousTail = Array((previousTail + Array(tail)).suffix(DeflateBlockEncoder.dictionarySize))
        }
        try work.submit(job)
    }

    public func finish() throws {
        guard isOpen else { throw ArchiveError.invalidState("gzip: finish called twice") }
        isOpen = false
        do {
            try submitCurrent()
        } catch {
            stopWorkers()
            downstream.abort()
            throw error
        }
        work.close()
        waitForWorkers()
        if let failure = work.failure {
            downstream.abort()
            throw failure
        }
        var trailer = Self.finalBlock
        for value in [crc, UInt32(truncatingIfNeeded: totalSize)] {
            trailer += [UInt8(value & 0xff), UInt8((value >> 8) & 0xff), UInt8((value >> 16) & 0xff), UInt8(value >> 24)]
        }
        try downstream.write(trailer)
        try downstream.finish()
    }

    public func abort() {
        guard isOpen else { return }
        isOpen = false
        stopWorkers()
        downstream.abort()
    }

    private func stopWorkers() {
        work.fail(ArchiveError.cancelled)
        waitForWorkers()
    }

    private func waitForWorkers() {
        for _ in 0..<threadCount { done.wait() }
    }
}

/// One block: its input, dictionary, position in the output and encoding.
final class GzipJob {
    let input: Chunk
    private let dictionary: UnsafeMutableRawPointer
    private var dictionaryCount = 0
    var index = 0
    var encoded: UnsafeMutableRawBufferPointer
    var encodedCount = 0

    init(blockSize: Int) {
        input = Chunk(capacity: blockSize)
        dictionary = .allocate(byteCount: DeflateBlockEncoder.dictionarySize, alignment: 16)
        encoded = DeflateBlockEncoder.outputBuffer(blockSize: blockSize)
    }

    deinit {
        dictionary.deallocate()
        encoded.deallocate()
    }

    func setDictionary(_ bytes: [UInt8]) {
        let count = min(bytes.count, DeflateBlockEncoder.dictionarySize)
        bytes.withUnsafeBytes { source in
            if let base = source.baseAddress { dictionary.copyMemory(from: base, byteCount: count) }
        }
        dictionaryCount = count
    }

    var dictionaryBytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: dictionary, count: dictionaryCount) }
}

/// The jobs between the producer and the workers, and the order of their output. A fixed number
/// of jobs circulate (free → producer → queue → worker → completed → writer → free), which
/// bounds memory. All state is guarded by `condition`; a job is owned by one thread at a time,
/// and one worker at a time is the writer.
final class GzipWorkQueue: @unchecked Sendable {
    private let condition = NSCondition()
    private var free: [GzipJob]
    private var queued: [GzipJob] = []
    private var completed: [Int: GzipJob] = [:]
    private var isWriting = false
    private var closed = false
    private var nextToWrite = 0
    private(set) var failure: (any Error)?

    init(capacity: Int, blockSize: Int) {
        free = (0..<capacity).map { _ in GzipJob(blockSize: blockSize) }
    }

    func makeJob() throws -> GzipJob {
        condition.lock()
        defer { condition.unlock() }
        while free.isEmpty && failure == nil { condition.wait() }
        if let failure { throw failure }
        let job = free.removeLast()
        job.input.count = 0
        return job
    }

    func submit(_ job: GzipJob) throws {
        condition.lock()
        defer { condition.unlock() }
        if let failure { throw failure }
        queued.append(job)
        condition.broadcast()
    }

    func close() {
        condition.lock()
        closed = true
        condition.broadcast()
        condition.unlock()
    }

    func take() -> GzipJob? {
        condition.lock()
        defer { condition.unlock() }
        while queued.isEmpty && !closed && failure == nil { condition.wait() }
        if failure != nil || queued.isEmpty { return nil }
        return queued.removeFirst()
    }

    /// Records a compressed job. Returns the jobs the caller must now write, in order (it has
    /// become the writer), or nothing (another worker writes, or earlier blocks are not done).
    func complete(_ job: GzipJob) -> [GzipJob] {
        condition.lock()
        defer { condition.unlock() }
        completed[job.index] = job
        guard !isWriting, failure == nil else { return [] }
        let due = takeDue()
        isWriting = !due.isEmpty
        return due
    }

    /// The writer wrote `jobs`: they go back to the pool. Returns the next jobs to write, or
    /// nothing (and the caller stops being the writer).
    func written(_ jobs: [GzipJob]) -> [GzipJob] {
        condition.lock()
        defer { condition.unlock() }
        nextToWrite += jobs.count
        free.append(contentsOf: jobs)
        condition.broadcast()
        let due = failure == nil ? takeDue() : []
        isWriting = !due.isEmpty
        return due
    }

    private func takeDue() -> [GzipJob] {
        var due: [GzipJob] = []
        while let job = completed.removeValue(forKey: nextToWrite + due.count) { due.append(job) }
        return due
    }

    func fail(_ error: any Error) {
        condition.lock()
        if failure == nil { failure = error }
        condition.broadcast()
        condition.unlock()
    }
}
