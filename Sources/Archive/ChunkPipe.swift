import Foundation

/// A fixed-size buffer handed from one thread to another.
final class Chunk {
    let base: UnsafeMutableRawPointer
    let capacity: Int
    var count = 0

    init(capacity: Int) {
        self.capacity = capacity
        base = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 64)
    }

    deinit { base.deallocate() }

    var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: base, count: count) }
    var spare: Int { capacity - count }
}

/// A bounded queue of chunks between one producer thread and one consumer thread.
///
/// The chunks come from a fixed pool created up front, so the memory in flight is
/// `depth × chunkSize` whatever the amount of data. The producer blocks when all chunks are
/// full; the consumer blocks when none is. Either side can stop the other: the consumer by
/// `fail(_:)` (the producer's next call throws that error), the producer by `cancel()`.
///
/// All state is guarded by `condition`; chunks are owned by exactly one side at a time
/// (free pool → producer → queue → consumer → free pool), which is why sharing them is sound.
final class ChunkPipe: @unchecked Sendable {
    enum Received {
        case chunk(Chunk)
        case end
        case cancelled
    }

    private let condition = NSCondition()
    private var queued: [Chunk] = []
    private var free: [Chunk]
    private var closed = false
    private var cancelled = false
    private var failure: (any Error)?

    init(depth: Int, chunkSize: Int) {
        free = (0..<max(2, depth)).map { _ in Chunk(capacity: chunkSize) }
    }

    /// The consumer's error, once it failed.
    var consumerFailure: (any Error)? {
        condition.lock()
        defer { condition.unlock() }
        return failure
    }

    // MARK: producer

    func takeEmpty() throws -> Chunk {
        condition.lock()
        defer { condition.unlock() }
        while free.isEmpty && failure == nil && !cancelled { condition.wait() }
        if let failure { throw failure }
        if cancelled { throw ArchiveError.cancelled }
        let chunk = free.removeLast()
        chunk.count = 0
        return chunk
    }

    func send(_ chunk: Chunk) throws {
        condition.lock()
        defer { condition.unlock() }
        if let failure { throw failure }
        if cancelled { throw ArchiveError.cancelled }
        queued.append(chunk)
        condition.broadcast()
    }

    func close() {
        condition.lock()
        closed = true
        condition.broadcast()
        condition.unlock()
    }

    func cancel() {
        condition.lock()
        cancelled = true
        condition.broadcast()
        condition.unlock()
    }

    // MARK: consumer

    func receive() -> Received {
        condition.lock()
        defer { condition.unlock() }
        while queued.isEmpty && !closed && !cancelled { condition.wait() }
        if cancelled { return .cancelled }
        if queued.isEmpty { return .end }
        return .chunk(queued.removeFirst())
    }

    func recycle(_ chunk: Chunk) {
        condition.lock()
        free.append(chunk)
        condition.broadcast()
        condition.unlock()
    }

    func fail(_ error: any Error) {
        condition.lock()
        if failure == nil { failure = error }
        condition.broadcast()
        condition.unlock()
    }
}

/// Carries a non-`Sendable` value to a thread that becomes its only user.
struct HandOff<Value>: @unchecked Sendable {
    let value: Value
}
