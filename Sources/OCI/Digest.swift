/// A content digest, `algorithm:hex`, as used by OCI descriptors.
///
/// Only `sha256` (64 lowercase hex digits) and `sha512` (128) are accepted; anything else is
/// rejected when parsed, so a `Digest` value is always well formed.
public struct Digest: Hashable, Sendable, Comparable, CustomStringConvertible, Codable {
    public enum Algorithm: String, Sendable, Codable {
        case sha256
        case sha512

        var hexLength: Int { self == .sha256 ? 64 : 128 }
    }

    public let algorithm: Algorithm
    /// Lowercase hexadecimal digest value.
    public let hex: String

    public init(algorithm: Algorithm, hex: String) throws(DigestError) {
        guard hex.utf8.count == algorithm.hexLength,
              hex.utf8.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x66) })
        else { throw DigestError.malformed("\(algorithm.rawValue):\(hex)") }
        self.algorithm = algorithm
        self.hex = hex
    }

    /// For digests this module computes itself: the hex comes from a hash function.
    init(computed algorithm: Algorithm, hex: String) {
        self.algorithm = algorithm
        self.hex = hex
    }

    /// Parses `sha256:<64 hex>`.
    public init(parsing text: String) throws(DigestError) {
        guard let colon = text.firstIndex(of: ":") else { throw DigestError.malformed(text) }
        let name = String(text[..<colon])
        guard let algorithm = Algorithm(rawValue: name) else {
            throw DigestError.unsupportedAlgorithm(name)
        }
        do {
            try self.init(algorithm: algorithm, hex: String(text[text.index(after: colon)...]))
        } catch {
            throw DigestError.malformed(text)
        }
    }

    public var description: String { "\(algorithm.rawValue):\(hex)" }

    /// The first 12 hex digits, as tools show digests in progress output.
    public var short: String { String(hex.prefix(12)) }

    public static func < (lhs: Digest, rhs: Digest) -> Bool { lhs.description < rhs.description }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        self = try Digest(parsing: text)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

public enum DigestError: Error, Equatable, CustomStringConvertible {
    case malformed(String)
    case unsupportedAlgorithm(String)

    public var description: String {
        switch self {
        case .malformed(let text):
            return "malformed digest '\(text)': expected 'sha256:' followed by 64 lowercase hex digits"
        case .unsupportedAlgorithm(let name):
            return "unsupported digest algorithm '\(name)': only sha256 and sha512 are supported"
        }
    }
}
