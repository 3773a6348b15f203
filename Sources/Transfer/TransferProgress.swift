import OCI

/// Receives transfer events, to show progress. Called from many tasks at once.
public protocol TransferProgress: Sendable {
    func blobStarted(_ descriptor: Descriptor)
    func blobAdvanced(_ descriptor: Descriptor, bytes: Int)
    /// A failed attempt is being retried from the start.
    func blobRestarted(_ descriptor: Descriptor, reason: String)
    func blobFinished(_ descriptor: Descriptor, outcome: BlobOutcome)
    func manifestWritten(_ manifest: Manifest, tag: String?)
    /// Everything is done; a renderer flushes and stops.
    func finish()
}

/// Shows nothing.
public struct SilentProgress: TransferProgress {
    public init() {}
    public func blobStarted(_ descriptor: Descriptor) {}
    public func blobAdvanced(_ descriptor: Descriptor, bytes: Int) {}
    public func blobRestarted(_ descriptor: Descriptor, reason: String) {}
    public func blobFinished(_ descriptor: Descriptor, outcome: BlobOutcome) {}
    public func manifestWritten(_ manifest: Manifest, tag: String?) {}
    public func finish() {}
}
