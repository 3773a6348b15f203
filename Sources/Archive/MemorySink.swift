/// Collects everything written into memory. For small outputs (manifests, tests) only: blobs
/// go to a `FileSink` or `BlobIngest`.
public final class MemorySink: ByteSink {
    public private(set) var bytes: [UInt8] = []
    public private(set) var isFinished = false

    public init() {}

    public func write(_ bytes: UnsafeRawBufferPointer) throws {
        guard !isFinished else { throw ArchiveError.invalidState("write after finish") }
        self.bytes.append(contentsOf: bytes)
    }

    public func finish() throws { isFinished = true }

    public func abort() { bytes = [] }
}
