import Archive
import Foundation
import OCI
import Testing

@Suite struct ThreadedSinkTests {
    @Test func deliversEveryByteInOrder() throws {
        let memory = MemorySink()
        let digesting = DigestingSink(into: memory)
        let threaded = ThreadedSink(into: digesting, chunkSize: 4096, depth: 2)
        let input = ArchiveTestSupport.sampleBytes(count: 1_000_003)
        var offset = 0
        var step = 1
        while offset < input.count {
            let end = min(input.count, offset + step)
            try input[offset..<end].withUnsafeBytes { try threaded.write($0) }
            offset = end
            step = (step * 5) % 10_007 + 1
        }
        try threaded.finish()
        #expect(memory.bytes.count == input.count)
        #expect(DigestHasher.digest(of: memory.bytes) == DigestHasher.digest(of: input))
        #expect(digesting.digest == DigestHasher.digest(of: input))
    }

    @Test func downstreamFailureReachesTheProducer() throws {
        let failing = FailingSink(failingAfter: 10_000)
        let threaded = ThreadedSink(into: failing, chunkSize: 4096, depth: 2)
        #expect(throws: FailingSink.Failure.self) {
            for _ in 0..<1000 { try threaded.write(ArchiveTestSupport.sampleBytes(count: 4096)) }
            try threaded.finish()
        }
        #expect(failing.aborted)
    }

    @Test func abortStopsTheThreadAndAbortsDownstream() throws {
        let failing = FailingSink(failingAfter: .max)
        let threaded = ThreadedSink(into: failing, chunkSize: 4096, depth: 2)
        try threaded.write(ArchiveTestSupport.sampleBytes(count: 10_000))
        threaded.abort()
        #expect(failing.aborted)
    }
}
