import Foundation
import TestSupport

/// SHA-256 computed by `sha256sum`, to check digests independently of the code under test.
enum TestSupportSHA {
    static func sha256sum(_ text: String) throws -> String {
        let result = try Command.run(["sha256sum"], stdin: text)
        return String(result.stdout.prefix(64))
    }
}
