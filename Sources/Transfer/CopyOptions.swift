import OCI
import Registry

/// How a copy runs.
public struct CopyOptions: Sendable {
    /// Copy only this platform of an index (the tag then names that platform's manifest).
    public var platform: Platform?
    /// Blobs in flight at once.
    public var jobs: Int
    /// Retries of a blob transfer that failed transiently (each attempt starts afresh).
    public var retryPolicy: RetryPolicy

    public init(platform: Platform? = nil, jobs: Int = 4, retryPolicy: RetryPolicy = RetryPolicy()) {
        self.platform = platform
        self.jobs = max(1, jobs)
        self.retryPolicy = retryPolicy
    }
}
