import Archive
import OCI
import Foundation
import Testing
import TestSupport

@Suite struct CompressorTests {
    /// Compresses `input` in uneven writes into a file and returns its path.
    func compress(_ input: [UInt8], into path: String, make: (any ByteSink) throws -> any ByteSink) throws {
        let compressor = try make(try FileSink(path: path))
        var offset = 0
        var step = 1
        while offset < input.count {
            let count = min(step, input.count - offset)
            try input[offset..<(offset + count)].withUnsafeBytes { try compressor.write($0) }
            offset += count
            step = step * 3 + 7
        }
        try compressor.finish()
    }

    @Test(arguments: [0, 1, 2, 3])
    func gzipOutputIsDecodedByGzipAtEveryLevel(level: Int) throws {
        let dir = try TemporaryDirectory("gzip")
        defer { dir.remove() }
        let input = ArchiveTestSupport.sampleBytes(count: 3_000_000)
        let path = dir.appending("out.gz").path
        try compress(input, into: path) { try GzipCompressor(level: level, into: $0) }
        try Command.check(["gzip", "-t", path])
        try ArchiveTestSupport.write(input, to: dir.appending("in").path)
        try Command.check(["sh", "-c", "gzip -dc '\(path)' | cmp - '\(dir.appending("in").path)'"])
    }

    @Test func gzipHeaderHasNoNameAndZeroTime() throws {
        let sink = MemorySink()
        let compressor = try GzipCompressor(into: sink)
        try compressor.write(Array("hello".utf8))
        try compressor.finish()
        let header = Array(sink.bytes.prefix(10))
        #expect(header[0] == 0x1f && header[1] == 0x8b && header[2] == 8)
        #expect(header[3] == 0, "no FNAME, FCOMMENT, FEXTRA or FHCRC flag")
        #expect(header[4..<8].allSatisfy { $0 == 0 }, "MTIME is zero")
    }

    @Test func gzipOfEmptyInputIsAValidEmptyStream() throws {
        let dir = try TemporaryDirectory("gzip-empty")
        defer { dir.remove() }
        let path = dir.appending("empty.gz").path
        try compress([], into: path) { try GzipCompressor(into: $0) }
        let output = try Command.check(["sh", "-c", "gzip -dc '\(path)' | wc -c"]).stdout
        #expect(output.trimmingCharacters(in: .whitespacesAndNewlines) == "0")
    }

    @Test func gzipRejectsLevelsOutsideISALsRange() {
        #expect(throws: ArchiveError.invalidLevel(codec: "gzip", level: 4, supported: 0...3)) {
            _ = try GzipCompressor(level: 4, into: MemorySink())
        }
    }

    @Test func gzipOutputIsTheSameForTheSameInput() throws {
        let input = ArchiveTestSupport.sampleBytes(count: 3_500_000)
        var outputs: [Digest] = []
        for chunk in [4096, 1 << 20, 777_777] {
            let sink = MemorySink()
            let compressor = try GzipCompressor(into: sink)
            for start in stride(from: 0, to: input.count, by: chunk) {
                try input[start..<min(start + chunk, input.count)].withUnsafeBytes { try compressor.write($0) }
            }
            try compressor.finish()
            outputs.append(DigestHasher.digest(of: sink.bytes))
        }
        #expect(outputs[0] == outputs[1], "output does not depend on how the input was split")
        #expect(outputs[0] == outputs[2], "output does not depend on how the input was split")
    }

    @Test(arguments: [0, 1, 2])
    func zstdOutputIsDecodedByZstd(workers: Int) throws {
        let dir = try TemporaryDirectory("zstd")
        defer { dir.remove() }
        let input = ArchiveTestSupport.sampleBytes(count: 3_000_000)
        let path = dir.appending("out.zst").path
        try compress(input, into: path) { try ZstdCompressor(workers: workers, into: $0) }
        try Command.check(["zstd", "-q", "-t", path])
        try ArchiveTestSupport.write(input, to: dir.appending("in").path)
        try Command.check(["sh", "-c", "zstd -q -dc '\(path)' | cmp - '\(dir.appending("in").path)'"])
    }

    @Test func zstdOutputDoesNotDependOnTheNumberOfWorkers() throws {
        let input = ArchiveTestSupport.sampleBytes(count: 24_000_000)
        var outputs: [Digest] = []
        for workers in [1, 2, 4] {
            let sink = MemorySink()
            let compressor = try ZstdCompressor(workers: workers, into: sink)
            try compressor.write(input)
            try compressor.finish()
            outputs.append(DigestHasher.digest(of: sink.bytes))
        }
        #expect(outputs[0] == outputs[1])
        #expect(outputs[0] == outputs[2])
    }

    @Test(arguments: [0, 2])
    func zstdOutputDoesNotDependOnHowTheInputWasSplit(workers: Int) throws {
        let input = ArchiveTestSupport.sampleBytes(count: 3_000_000)
        var outputs: [Digest] = []
        for chunk in [4096, 1 << 20, 777_777] {
            let sink = MemorySink()
            let compressor = try ZstdCompressor(workers: workers, into: sink)
            for start in stride(from: 0, to: input.count, by: chunk) {
                try input[start..<min(start + chunk, input.count)].withUnsafeBytes { try compressor.write($0) }
            }
            try compressor.finish()
            outputs.append(DigestHasher.digest(of: sink.bytes))
        }
        #expect(outputs[0] == outputs[1])
        #expect(outputs[0] == outputs[2])
    }

    @Test func zstdRejectsLevelsOutsideItsRange() {
        #expect(throws: ArchiveError.self) { _ = try ZstdCompressor(level: 99, into: MemorySink()) }
    }

    @Test func downstreamFailureSurfacesFromTheCompressor() throws {
        let failing = FailingSink(failingAfter: 1000)
        let compressor = try GzipCompressor(level: 0, into: failing, outputChunkSize: 64 * 1024)
        #expect(throws: FailingSink.Failure.self) {
            try compressor.write(ArchiveTestSupport.sampleBytes(count: 2_000_000))
            try compressor.finish()
        }
    }
}

@Suite struct ParallelGzipCompressorTests {
    func compress(_ input: [UInt8], level: Int = GzipCompressor.defaultLevel, threads: Int, writeSize: Int) throws -> [UInt8] {
        let sink = MemorySink()
        let compressor = try ParallelGzipCompressor(level: level, threads: threads, into: sink)
        for start in stride(from: 0, to: input.count, by: writeSize) {
            try input[start..<min(start + writeSize, input.count)].withUnsafeBytes { try compressor.write($0) }
        }
        try compressor.finish()
        #expect(sink.isFinished)
        return sink.bytes
    }

    @Test(arguments: [0, 1, 2, 3])
    func outputIsDecodedByGzip(level: Int) throws {
        let dir = try TemporaryDirectory("pgzip")
        defer { dir.remove() }
        let input = ArchiveTestSupport.sampleBytes(count: 5_500_000)
        try ArchiveTestSupport.write(try compress(input, level: level, threads: 2, writeSize: 300_001), to: dir.appending("out.gz").path)
        try ArchiveTestSupport.write(input, to: dir.appending("in").path)
        try Command.check(["gzip", "-t", dir.appending("out.gz").path])
        try Command.check(["sh", "-c", "gzip -dc '\(dir.appending("out.gz").path)' | cmp - '\(dir.appending("in").path)'"])
        // Python's zlib checks the CRC and size in the trailer too.
        let script = "import gzip, sys; sys.exit(0 if gzip.open(sys.argv[1]).read() == open(sys.argv[2], 'rb').read() else 1)"
        try ArchiveTestSupport.python(script, [dir.appending("out.gz").path, dir.appending("in").path])
    }

    @Test func outputDependsNeitherOnThreadsNorOnWriteSizes() throws {
        let input = ArchiveTestSupport.sampleBytes(count: 4_200_000)
        let reference = DigestHasher.digest(of: try compress(input, threads: 1, writeSize: 1 << 20))
        for (threads, writeSize) in [(2, 4096), (3, 777_777), (4, 5_000_000)] {
            #expect(DigestHasher.digest(of: try compress(input, threads: threads, writeSize: writeSize)) == reference)
        }
    }

    @Test func emptyInputIsAValidEmptyGzip() throws {
        let dir = try TemporaryDirectory("pgzip-empty")
        defer { dir.remove() }
        let path = dir.appending("e.gz").path
        try ArchiveTestSupport.write(try compress([], threads: 2, writeSize: 1), to: path)
        try Command.check(["gzip", "-t", path])
        #expect(try Command.check(["sh", "-c", "gzip -dc '\(path)' | wc -c"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "0")
    }

    @Test func headerHasNoNameAndZeroTime() throws {
        let output = try compress(Array("x".utf8), threads: 1, writeSize: 1)
        #expect(Array(output.prefix(10)) == [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff])
    }

    @Test func aDownstreamFailureStopsTheWorkersAndIsReported() throws {
        let failing = FailingSink(failingAfter: 100_000)
        let compressor = try ParallelGzipCompressor(level: 0, threads: 2, into: failing)
        #expect(throws: FailingSink.Failure.self) {
            for _ in 0..<20 { try compressor.write(ArchiveTestSupport.sampleBytes(count: 1 << 20)) }
            try compressor.finish()
        }
        #expect(failing.aborted)
    }
}
