/// Exponential backoff with full jitter, honouring a server's `Retry-After`.
public struct RetryPolicy: Sendable {
    public var maxAttempts: Int
    public var baseDelay: Duration
    public var maxDelay: Duration

    public init(maxAttempts: Int = 5, baseDelay: Duration = .milliseconds(250), maxDelay: Duration = .seconds(20)) {
        self.maxAttempts = max(1, maxAttempts)
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
    }

    public static let none = RetryPolicy(maxAttempts: 1)

    /// The pause before attempt `attempt + 1` (attempts count from 1).
    public func delay(afterAttempt attempt: Int, retryAfter: Duration? = nil) -> Duration {
        if let retryAfter { return min(retryAfter, maxDelay * 3) }
        let exponent = min(attempt - 1, 16)
        let ceiling = min(baseDelay * (1 << exponent), maxDelay)
        let ceilingMilliseconds = max(1, Int(ceiling.components.seconds * 1000 + ceiling.components.attoseconds / 1_000_000_000_000_000))
        // Full jitter, but never less than a tenth of the ceiling.
        return .milliseconds(Int.random(in: (ceilingMilliseconds / 10)...ceilingMilliseconds))
    }

    /// Runs `operation` until it succeeds, fails with an error `shouldRetry` rejects, or the
    /// attempts are used up (then the last error is thrown).
    public func run<T: Sendable>(
        isolation: isolated (any Actor)? = #isolation,
        shouldRetry: (any Error) -> Bool = RetryPolicy.isTransient,
        onRetry: (Int, any Error) -> Void = { _, _ in },
        _ operation: (Int) async throws -> T
    ) async throws -> T {
        var attempt = 1
        while true {
            do {
                return try await operation(attempt)
            } catch {
                guard attempt < maxAttempts, shouldRetry(error), !Task.isCancelled else { throw error }
                onRetry(attempt, error)
                let retryAfter = (error as? RegistryError)?.retryAfter
                try await Task.sleep(for: delay(afterAttempt: attempt, retryAfter: retryAfter))
                attempt += 1
            }
        }
    }

    /// Transient registry errors; everything else (auth, not found, digest mismatch) is final.
    public static func isTransient(_ error: any Error) -> Bool {
        if let error = error as? RegistryError { return error.isTransient }
        if let error = error as? TransientError { return error.isTransient }
        return false
    }
}

/// Errors from other layers that know whether retrying can help.
public protocol TransientError: Error {
    var isTransient: Bool { get }
}
