import Foundation

/// Runs blocking work (file and archive I/O, libarchive) on a thread of its own, so that Swift's
/// cooperative pool stays free for the network tasks the work may depend on.
enum BlockingWork {
    static func run<T: Sendable>(name: String = "smimg-build", _ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread {
                do {
                    continuation.resume(returning: try body())
                } catch {
                    continuation.resume(throwing: error)
                }
            }
            thread.name = name
            thread.stackSize = 4 << 20
            thread.start()
        }
    }
}

/// Carries a value that is not `Sendable` to the one thread that uses it next.
final class HandOff<Value>: @unchecked Sendable {
    var value: Value
    init(_ value: Value) { self.value = value }
}
