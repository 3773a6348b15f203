import Foundation

/// Bounded retries with exponential backoff and full jitter, as the AWS SDKs do: before retry
/// `n` (1-based) wait a random time in `0...min(maxDelay, baseDelay * 2^(n-1))`.
public struct RetryPolicy: Sendable, Equatable {
    /// Total attempts, the first one included (at least 1).
    public var maxAttempts: Int
    public var baseDelay: TimeInterval
    public var maxDelay: TimeInterval

    public init(maxAttempts: Int, baseDelay: TimeInterval, maxDelay: TimeInterval) {
        self.maxAttempts = max(1, maxAttempts)
        self.baseDelay = max(0, baseDelay)
        self.maxDelay = max(0, maxDelay)
    }

    /// 5 attempts, 0.5 s base, 20 s cap: enough to ride out ECR's PutImage throttling.
    public static let standard = RetryPolicy(maxAttempts: 5, baseDelay: 0.5, maxDelay: 20)
    /// A single attempt.
    public static let none = RetryPolicy(maxAttempts: 1, baseDelay: 0, maxDelay: 0)

    /// The longest wait before retry `retry` (1-based).
    public func delayCeiling(beforeRetry retry: Int) -> TimeInterval {
        let exponent = Double(max(0, min(retry - 1, 30)))
        return min(maxDelay, baseDelay * pow(2, exponent))
    }

    /// A jittered wait before retry `retry`.
    public func delay(beforeRetry retry: Int) -> TimeInterval {
        let ceiling = delayCeiling(beforeRetry: retry)
        return ceiling > 0 ? Double.random(in: 0...ceiling) : 0
    }

    func sleep(beforeRetry retry: Int) async throws {
        let seconds = delay(beforeRetry: retry)
        if seconds > 0 { try await Task.sleep(nanoseconds: UInt64(seconds * 1_000_000_000)) }
    }
}
