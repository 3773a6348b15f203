import Foundation

/// Moves the work of a downstream sink to a dedicated thread.
///
/// Writes are copied into chunks (default 1 MiB) that a bounded queue (default 4 chunks) hands
/// to the thread, which writes them to `downstream`. The caller keeps producing while the thread
/// consumes, so two stages of a pipeline (for example tar + hashing, and compression) run on
/// two cores, in constant memory. A failure downstream surfaces as the error of the caller's
/// next `write` or of `finish()`.
///
/// `downstream` must not be used by anyone else once handed over; read its results only after
/// `finish()` returns (which waits for the thread).
public final class ThreadedSink: ByteSink {
    private let pipe: ChunkPipe
    private let done = DispatchSemaphore(value: 0)
    private var current: Chunk?
    private var isRunning = true

    public init(into downstream: any ByteSink, chunkSize: Int = 1 << 20, depth: Int = 4, name: String = "smimg-sink") {
        let pipe = ChunkPipe(depth: depth, chunkSize: max(4096, chunkSize))
        self.pipe = pipe
        let handOff = HandOff(value: downstream)
        let done = self.done
        let thread = Thread {
            ThreadedSink.drain(pipe, into: handOff.value)
            done.signal()
        }
        thread.name = name
        thread.start()
    }

    deinit { abort() }

    private static func drain(_ pipe: ChunkPipe, into downstream: any ByteSink) {
        while true {
            switch pipe.receive() {
            case .chunk(let chunk):
                do {
                    try downstream.write(chunk.bytes)
                } catch {
                    downstream.abort()
                    pipe.fail(error)
                    return
                }
                pipe.recycle(chunk)
            case .end:
                do {
                    try downstream.finish()
                } catch {
                    downstream.abort()
                    pipe.fail(error)
                }
                return
            case .cancelled:
                downstream.abort()
                return
            }
        }
    }

    public func write(_ bytes: UnsafeRawBufferPointer) throws {
        guard isRunning else { throw ArchiveError.invalidState("write after the threaded sink finished") }
        guard let source = bytes.baseAddress else { return }
        var offset = 0
        while offset < bytes.count {
            let chunk: Chunk
            if let current {
                chunk = current
            } else {
                chunk = try pipe.takeEmpty()
                current = chunk
            }
            let count = min(chunk.spare, bytes.count - offset)
            (chunk.base + chunk.count).copyMemory(from: source + offset, byteCount: count)
            chunk.count += count
            offset += count
            if chunk.spare == 0 {
                current = nil
                try pipe.send(chunk)
            }
        }
    }

    public func finish() throws {
        guard isRunning else { throw ArchiveError.invalidState("finish called twice on a threaded sink") }
        isRunning = false
        do {
            if let current, current.count > 0 {
                self.current = nil
                try pipe.send(current)
            }
        } catch {
            pipe.cancel()
            done.wait()
            throw error
        }
        pipe.close()
        done.wait()
        if let failure = pipe.consumerFailure { throw failure }
    }

    public func abort() {
        guard isRunning else { return }
        isRunning = false
        pipe.cancel()
        done.wait()
    }
}
