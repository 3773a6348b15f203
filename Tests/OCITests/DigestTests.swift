import NIOCore
import OCI
import Testing

@Suite("Digests")
struct DigestTests {
    @Test("sha256 of known input matches the published value")
    func knownSHA256() {
        let digest = DigestHasher.digest(of: Array("abc".utf8))
        #expect(digest.description == "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    @Test("streaming in pieces gives the same digest as hashing at once")
    func streamingMatchesOneShot() {
        let bytes = (0..<100_000).map { UInt8($0 % 251) }
        var hasher = DigestHasher()
        for start in stride(from: 0, to: bytes.count, by: 777) {
            hasher.update(bytes[start..<min(start + 777, bytes.count)])
        }
        #expect(hasher.finalize() == DigestHasher.digest(of: bytes))
        #expect(hasher.byteCount == 100_000)
    }

    @Test("malformed digests are rejected", arguments: [
        "sha256:abc", "sha256:" + String(repeating: "A", count: 64), "sha256" + String(repeating: "a", count: 64),
        "md5:" + String(repeating: "a", count: 32), "sha256:" + String(repeating: "g", count: 64),
    ])
    func malformedRejected(text: String) {
        #expect(throws: DigestError.self) { try Digest(parsing: text) }
    }

    @Test("a digest round-trips through JSON as a string")
    func jsonRoundTrip() throws {
        let digest = try Digest(parsing: "sha512:" + String(repeating: "0", count: 128))
        #expect(digest.algorithm == .sha512)
        #expect(digest.short == "000000000000")
    }
}
