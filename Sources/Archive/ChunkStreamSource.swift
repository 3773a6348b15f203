import Foundation
import NIOCore
import OCI

/// Bridges an async chunk stream (`ByteChunks`, such as a registry blob download) to the
/// blocking reads of a `TarReader`.
///
/// A task consumes the stream, keeping at most `bufferedChunks` chunks ahead of the reader
/// (constant memory); the stream's error becomes the error of `read`. Reads block, so the
/// reader must run on its own thread (for example a `Thread`), never on Swift's cooperative
/// pool, which the consuming task needs. `close()` cancels the consumption.
public final class ChunkStreamSource: ByteSource {
    private let queue: ChunkHandOver
    private let task: Task<Void, Never>
    private var current: ByteBuffer?

    public init(_ chunks: ByteChunks, bufferedChunks: Int = 4) {
        let queue = ChunkHandOver(limit: max(1, bufferedChunks))
        self.queue = queue
        task = Task {
            do {
                for try await chunk in chunks {
                    guard await queue.put(chunk) else { return }
                }
                queue.finish(nil)
            } catch {
                queue.finish(error)
            }
        }
    }

    deinit { close() }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        while (current?.readableBytes ?? 0) == 0 {
            guard let next = try queue.take() else { return 0 }
            current = next
        }
        guard var chunk = current, let destination = buffer.baseAddress else { return 0 }
        let count = min(buffer.count, chunk.readableBytes)
        chunk.withUnsafeReadableBytes { source in
            if let base = source.baseAddress { destination.copyMemory(from: base, byteCount: count) }
        }
        chunk.moveReaderIndex(forwardBy: count)
        current = chunk
        return count
    }

    public func close() {
        task.cancel()
        queue.cancel()
    }
}

/// The bounded hand-over between the consuming task (async `put`) and the reading thread
/// (blocking `take`). All state is guarded by `condition`.
final class ChunkHandOver: @unchecked Sendable {
    private let condition = NSCondition()
    private let limit: Int
    private var chunks: [ByteBuffer] = []
    private var waitingPut: (chunk: ByteBuffer, resume: CheckedContinuation<Bool, Never>)?
    private var finished = false
    private var failure: (any Error)?
    private var cancelled = false

    init(limit: Int) { self.limit = limit }

    /// Queues a chunk, suspending (without blocking a thread) while the queue is full; false
    /// once the reader has gone.
    func put(_ chunk: ByteBuffer) async -> Bool {
        await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
            condition.lock()
            if cancelled {
                condition.unlock()
                continuation.resume(returning: false)
            } else if chunks.count < limit {
                chunks.append(chunk)
                condition.broadcast()
                condition.unlock()
                continuation.resume(returning: true)
            } else {
                waitingPut = (chunk, continuation)
                condition.unlock()
            }
        }
    }

    func finish(_ error: (any Error)?) {
        condition.lock()
        finished = true
        failure = error
        condition.broadcast()
        condition.unlock()
    }

    /// The next chunk, nil at the end of the stream; blocks while none is queued.
    func take() throws -> ByteBuffer? {
        condition.lock()
        while chunks.isEmpty && !finished && !cancelled { condition.wait() }
        if cancelled {
            condition.unlock()
            throw ArchiveError.cancelled
        }
        guard !chunks.isEmpty else {
            let failure = self.failure
            condition.unlock()
            if let failure { throw failure }
            return nil
        }
        let chunk = chunks.removeFirst()
        let resumed = waitingPut
        if let resumed {
            chunks.append(resumed.chunk)
            waitingPut = nil
        }
        condition.unlock()
        resumed?.resume.resume(returning: true)
        return chunk
    }

    func cancel() {
        condition.lock()
        cancelled = true
        let resumed = waitingPut
        waitingPut = nil
        condition.broadcast()
        condition.unlock()
        resumed?.resume.resume(returning: false)
    }
}
