import Foundation
import Testing

@testable import AWS

struct CachingCredentialsProviderTests {
    @Test("long-term credentials are fetched once")
    func longTermCredentialsFetchedOnce() async throws {
        let clock = TestClock()
        let base = CountingProvider(clock: clock, lifetime: nil)
        let cache = CachingCredentialsProvider(wrapping: base, now: clock.function)
        for _ in 0..<3 {
            #expect(try await cache.credentials().accessKeyId == "AKID1")
            clock.advance(by: 86400)
        }
        #expect(await base.calls == 1)
    }

    @Test("temporary credentials are refreshed five minutes before they expire")
    func temporaryCredentialsRefreshBeforeExpiry() async throws {
        let clock = TestClock()
        let base = CountingProvider(clock: clock, lifetime: 3600)
        let cache = CachingCredentialsProvider(wrapping: base, now: clock.function)
        #expect(try await cache.credentials().accessKeyId == "AKID1")
        clock.advance(by: 3600 - 301)
        #expect(try await cache.credentials().accessKeyId == "AKID1")
        clock.advance(by: 2)  // 299 s left: inside the window
        #expect(try await cache.credentials().accessKeyId == "AKID2")
        #expect(await base.calls == 2)
    }

    @Test("concurrent callers share a single refresh")
    func concurrentCallersShareOneRefresh() async throws {
        let clock = TestClock()
        let base = CountingProvider(clock: clock, lifetime: 3600, delayNanoseconds: 200_000_000)
        let cache = CachingCredentialsProvider(wrapping: base, now: clock.function)
        let ids = try await withThrowingTaskGroup(of: String.self) { group in
            for _ in 0..<20 { group.addTask { try await cache.credentials().accessKeyId } }
            return try await group.reduce(into: [String]()) { $0.append($1) }
        }
        #expect(Set(ids) == ["AKID1"])
        #expect(await base.calls == 1)
    }

    @Test("a failed refresh falls back to cached credentials until they actually expire")
    func failedRefreshUsesUnexpiredCache() async throws {
        let clock = TestClock()
        let base = CountingProvider(clock: clock, lifetime: 3600)
        let cache = CachingCredentialsProvider(wrapping: base, now: clock.function)
        _ = try await cache.credentials()
        await base.setFailing(true)
        clock.advance(by: 3500)  // in the refresh window, not expired
        #expect(try await cache.credentials().accessKeyId == "AKID1")
        clock.advance(by: 200)  // expired
        await #expect(throws: CredentialsError.self) { _ = try await cache.credentials() }
    }

    @Test("credentials that arrive already expired do not cause a refresh on every call")
    func alreadyExpiredCredentialsDoNotLoop() async throws {
        let clock = TestClock()
        let base = CountingProvider(clock: clock, lifetime: -10)
        let cache = CachingCredentialsProvider(wrapping: base, now: clock.function)
        for _ in 0..<10 { _ = try await cache.credentials() }
        #expect(await base.calls == 1)
        clock.advance(by: 61)
        _ = try await cache.credentials()
        #expect(await base.calls == 2)
    }
}
