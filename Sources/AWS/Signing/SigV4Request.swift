import Foundation

/// The parts of an HTTP request that Signature Version 4 covers.
///
/// - `path` is the path as it goes on the wire (already percent-encoded where needed); the
///   canonical URI encodes it once more, as every SDK does for services other than S3.
/// - `query` holds decoded name/value pairs; the signer encodes them.
/// - `headers` are sent as given; all of them are signed except hop-by-hop headers and
///   `User-Agent` (the same exclusions botocore makes). Include `Host`.
/// - `payloadSHA256` is the lowercase hex SHA-256 of the body (`UNSIGNED-PAYLOAD` is allowed
///   for presigned URLs).
public struct SigV4Request: Sendable, Equatable {
    public var method: String
    public var path: String
    public var query: [QueryParameter]
    public var headers: [Header]
    public var payloadSHA256: String

    public struct Header: Sendable, Equatable {
        public var name: String
        public var value: String
        public init(_ name: String, _ value: String) {
            self.name = name
            self.value = value
        }
    }

    public struct QueryParameter: Sendable, Equatable {
        public var name: String
        public var value: String
        public init(_ name: String, _ value: String) {
            self.name = name
            self.value = value
        }
    }

    public init(
        method: String, path: String = "/", query: [QueryParameter] = [], headers: [Header],
        payloadSHA256: String
    ) {
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.payloadSHA256 = payloadSHA256
    }

    /// A request whose payload hash is computed from `body`.
    public init(
        method: String, path: String = "/", query: [QueryParameter] = [], headers: [Header], body: some DataProtocol
    ) {
        self.init(method: method, path: path, query: query, headers: headers, payloadSHA256: Hashing.sha256Hex(body))
    }

    /// The first value of a header (case-insensitive name).
    public func header(_ name: String) -> String? {
        let lowered = name.lowercased()
        return headers.first { $0.name.lowercased() == lowered }?.value
    }

    /// Replaces every header with this name by one with `value`.
    public mutating func setHeader(_ name: String, _ value: String) {
        removeHeader(name)
        headers.append(Header(name, value))
    }

    public mutating func removeHeader(_ name: String) {
        let lowered = name.lowercased()
        headers.removeAll { $0.name.lowercased() == lowered }
    }

    /// The query string as it goes on the wire (encoded, in the given order).
    public var encodedQuery: String {
        query.map { "\(URIEncoding.encode($0.name))=\(URIEncoding.encode($0.value))" }.joined(separator: "&")
    }
}
