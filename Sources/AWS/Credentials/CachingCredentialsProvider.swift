import Foundation

/// Caches another provider's credentials and refreshes temporary ones shortly before they
/// expire (5 minutes by default), with at most one refresh in flight: concurrent callers wait
/// for the same refresh.
///
/// Long-term credentials (no expiration) are fetched once. When a refresh fails while the
/// cached credentials have not yet expired, those are returned (as the SDKs do). Credentials
/// that arrive already inside the refresh window are used for at least a minute before the
/// next refresh, so an endpoint returning short-lived or stale credentials cannot cause a
/// refresh on every call.
public actor CachingCredentialsProvider: CredentialsProvider {
    let base: any CredentialsProvider
    let refreshWindow: TimeInterval
    let minimumLifetime: TimeInterval
    let now: @Sendable () -> Date

    private var cached: AWSCredentials?
    private var refreshAt: Date?
    private var refresh: Task<AWSCredentials, any Error>?

    public init(
        wrapping base: any CredentialsProvider, refreshWindow: TimeInterval = 300, minimumLifetime: TimeInterval = 60,
        initial: AWSCredentials? = nil, now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.base = base
        self.refreshWindow = refreshWindow
        self.minimumLifetime = minimumLifetime
        self.now = now
        if let initial {
            cached = initial
            refreshAt = Self.refreshTime(for: initial, fetchedAt: now(), window: refreshWindow, minimum: minimumLifetime)
        }
    }

    public func credentials() async throws -> AWSCredentials {
        if let cached, !needsRefresh { return cached }
        let task: Task<AWSCredentials, any Error>
        if let refresh {
            task = refresh
        } else {
            let base = base
            task = Task { try await base.credentials() }
            refresh = task
        }
        do {
            let fresh = try await task.value
            if refresh == task {
                refresh = nil
                store(fresh)
            }
            return fresh
        } catch {
            if refresh == task { refresh = nil }
            if let cached, !cached.expires(within: 0, of: now()) { return cached }
            throw error
        }
    }

    /// Drops the cached credentials (after the service rejected them).
    public func invalidate() {
        cached = nil
        refreshAt = nil
    }

    private var needsRefresh: Bool {
        guard let refreshAt else { return false }
        return now() >= refreshAt
    }

    private func store(_ credentials: AWSCredentials) {
        cached = credentials
        refreshAt = Self.refreshTime(for: credentials, fetchedAt: now(), window: refreshWindow, minimum: minimumLifetime)
    }

    static func refreshTime(for credentials: AWSCredentials, fetchedAt: Date, window: TimeInterval, minimum: TimeInterval)
        -> Date?
    {
        guard let expiration = credentials.expiration else { return nil }
        return max(expiration.addingTimeInterval(-window), fetchedAt.addingTimeInterval(minimum))
    }
}
