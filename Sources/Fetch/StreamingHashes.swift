import Crypto

/// SHA-256 and MD5 of a byte stream, updated chunk by chunk.
struct StreamingHashes {
    private var sha256 = SHA256()
    private var md5 = Insecure.MD5()
    private(set) var count: Int64 = 0

    mutating func update(_ bytes: UnsafeRawBufferPointer) {
        sha256.update(bufferPointer: bytes)
        md5.update(bufferPointer: bytes)
        count += Int64(bytes.count)
    }

    func finalize() -> (sha256: String, md5: String) {
        (Self.hex(sha256.finalize()), Self.hex(md5.finalize()))
    }

    private static func hex<D: Sequence>(_ digest: D) -> String where D.Element == UInt8 {
        digest.map { byte in
            let text = String(byte, radix: 16)
            return byte < 16 ? "0" + text : text
        }.joined()
    }
}
