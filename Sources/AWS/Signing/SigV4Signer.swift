import Crypto
import Foundation

/// AWS Signature Version 4 (`AWS4-HMAC-SHA256`): signs a request with an `Authorization`
/// header, or presigns it with query parameters.
///
/// Steps, each exposed for testing against AWS's published test suite: canonical request →
/// string to sign → signing key (HMAC chain over date, region, service, `aws4_request`) →
/// signature.
public struct SigV4Signer: Sendable {
    public static let algorithm = "AWS4-HMAC-SHA256"

    public var credentials: AWSCredentials
    public var region: String
    public var service: String
    public var options: Options

    public struct Options: Sendable, Equatable {
        /// Adds a signed `x-amz-content-sha256` header carrying the payload hash (S3 and a few
        /// other services require it; ECR and STS do not).
        public var addContentSHA256Header: Bool
        /// Removes `.`/`..` segments and repeated slashes before signing (every service but S3).
        public var normalizePath: Bool
        /// Percent-encodes the wire path once more for the canonical URI (every service but S3).
        public var encodePath: Bool

        public init(addContentSHA256Header: Bool = false, normalizePath: Bool = true, encodePath: Bool = true) {
            self.addContentSHA256Header = addContentSHA256Header
            self.normalizePath = normalizePath
            self.encodePath = encodePath
        }
    }

    /// Headers never signed: hop-by-hop headers and those a proxy or client may rewrite.
    static let unsignedHeaders: Set<String> = [
        "authorization", "connection", "expect", "keep-alive", "proxy-authenticate", "proxy-authorization", "te",
        "trailer", "transfer-encoding", "upgrade", "user-agent", "x-amzn-trace-id",
    ]

    public init(credentials: AWSCredentials, region: String, service: String, options: Options = Options()) {
        self.credentials = credentials
        self.region = region
        self.service = service
        self.options = options
    }

    // MARK: Signing

    /// Adds `X-Amz-Date`, `X-Amz-Security-Token` (for temporary credentials),
    /// `x-amz-content-sha256` (when enabled) and `Authorization` to the request.
    public func sign(_ request: inout SigV4Request, at date: Date) {
        request.removeHeader("Authorization")
        request.setHeader("X-Amz-Date", Self.timestamp(date))
        if let token = credentials.sessionToken {
            request.setHeader("X-Amz-Security-Token", token)
        }
        if options.addContentSHA256Header {
            request.setHeader("x-amz-content-sha256", request.payloadSHA256)
        }
        let canonical = canonicalRequest(for: request)
        let signature = signature(stringToSign: stringToSign(canonicalRequest: canonical, at: date), at: date)
        let authorization =
            "\(Self.algorithm) Credential=\(credentials.accessKeyId)/\(credentialScope(at: date)), "
            + "SignedHeaders=\(signedHeaderNames(of: request)), Signature=\(signature)"
        request.setHeader("Authorization", authorization)
    }

    /// Presigns the request: returns it with the `X-Amz-*` query parameters (and the
    /// signature) appended, valid for `expires` seconds from `date`. Only `Host` and other
    /// non-`X-Amz` headers present in the request are signed.
    public func presign(_ request: SigV4Request, at date: Date, expires: Int) -> SigV4Request {
        var presigned = request
        presigned.removeHeader("Authorization")
        presigned.removeHeader("X-Amz-Date")
        presigned.removeHeader("X-Amz-Security-Token")
        presigned.query.append(contentsOf: [
            .init("X-Amz-Algorithm", Self.algorithm),
            .init("X-Amz-Credential", "\(credentials.accessKeyId)/\(credentialScope(at: date))"),
            .init("X-Amz-Date", Self.timestamp(date)),
            .init("X-Amz-SignedHeaders", signedHeaderNames(of: presigned)),
            .init("X-Amz-Expires", String(expires)),
        ])
        if let token = credentials.sessionToken {
            presigned.query.append(.init("X-Amz-Security-Token", token))
        }
        let canonical = canonicalRequest(for: presigned)
        let signature = signature(stringToSign: stringToSign(canonicalRequest: canonical, at: date), at: date)
        presigned.query.append(.init("X-Amz-Signature", signature))
        return presigned
    }

    // MARK: Steps

    /// The canonical request: method, canonical URI, canonical query, canonical headers,
    /// signed header names and payload hash, separated by newlines.
    public func canonicalRequest(for request: SigV4Request) -> String {
        let headers = canonicalHeaders(of: request)
        return [
            request.method.uppercased(),
            canonicalURI(request.path),
            canonicalQuery(request.query),
            headers.map { "\($0.name):\($0.value)\n" }.joined(),
            headers.map(\.name).joined(separator: ";"),
            request.payloadSHA256,
        ].joined(separator: "\n")
    }

    public func stringToSign(canonicalRequest: String, at date: Date) -> String {
        [Self.algorithm, Self.timestamp(date), credentialScope(at: date), Hashing.sha256Hex(canonicalRequest)]
            .joined(separator: "\n")
    }

    public func signature(stringToSign: String, at date: Date) -> String {
        Hashing.hmacHex(key: signingKey(at: date), stringToSign)
    }

    /// `kSigning = HMAC(HMAC(HMAC(HMAC("AWS4" + secret, yyyymmdd), region), service), "aws4_request")`.
    func signingKey(at date: Date) -> SymmetricKey {
        let secret = SymmetricKey(data: Array("AWS4\(credentials.secretAccessKey)".utf8))
        let dateKey = Hashing.hmac(key: secret, Self.dateStamp(date))
        let regionKey = Hashing.hmac(key: dateKey, region)
        let serviceKey = Hashing.hmac(key: regionKey, service)
        return Hashing.hmac(key: serviceKey, "aws4_request")
    }

    /// `yyyymmdd/region/service/aws4_request`.
    public func credentialScope(at date: Date) -> String {
        "\(Self.dateStamp(date))/\(region)/\(service)/aws4_request"
    }

    // MARK: Canonical parts

    func canonicalURI(_ path: String) -> String {
        var path = path.isEmpty ? "/" : path
        if options.normalizePath { path = Self.normalize(path) }
        return options.encodePath ? URIEncoding.encode(path, keepingSlashes: true) : path
    }

    /// Removes `.` and `..` segments and empty segments; keeps a trailing slash.
    static func normalize(_ path: String) -> String {
        var segments: [Substring] = []
        for segment in path.split(separator: "/", omittingEmptySubsequences: true) {
            switch segment {
            case ".": continue
            case "..": _ = segments.popLast()
            default: segments.append(segment)
            }
        }
        var result = "/" + segments.joined(separator: "/")
        let endsInDirectory = path.hasSuffix("/") || path.hasSuffix("/.") || path.hasSuffix("/..")
        if endsInDirectory && !segments.isEmpty { result += "/" }
        return result
    }

    func canonicalQuery(_ query: [SigV4Request.QueryParameter]) -> String {
        query
            .map { (URIEncoding.encode($0.name), URIEncoding.encode($0.value)) }
            .sorted { lhs, rhs in
                lhs.0 == rhs.0
                    ? lhs.1.utf8.lexicographicallyPrecedes(rhs.1.utf8)
                    : lhs.0.utf8.lexicographicallyPrecedes(rhs.0.utf8)
            }
            .map { "\($0.0)=\($0.1)" }
            .joined(separator: "&")
    }

    /// Lowercased names, values trimmed with inner runs of spaces collapsed, repeated headers
    /// joined with commas in order, sorted by name.
    func canonicalHeaders(of request: SigV4Request) -> [(name: String, value: String)] {
        var order: [String] = []
        var values: [String: [String]] = [:]
        for header in request.headers {
            let name = header.name.lowercased()
            guard !Self.unsignedHeaders.contains(name) else { continue }
            if values[name] == nil { order.append(name) }
            values[name, default: []].append(Self.trimmedHeaderValue(header.value))
        }
        return order.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
            .map { ($0, values[$0, default: []].joined(separator: ",")) }
    }

    func signedHeaderNames(of request: SigV4Request) -> String {
        canonicalHeaders(of: request).map(\.name).joined(separator: ";")
    }

    static func trimmedHeaderValue(_ value: String) -> String {
        var result = ""
        var previousWasSpace = false
        for character in value.trimmingCharacters(in: .whitespaces) {
            if character == " " || character == "\t" {
                if !previousWasSpace { result.append(" ") }
                previousWasSpace = true
            } else {
                result.append(character)
                previousWasSpace = false
            }
        }
        return result
    }

    // MARK: Dates

    /// `20150830T123600Z`.
    public static func timestamp(_ date: Date) -> String {
        let parts = UTCParts(date)
        return String(
            format: "%04d%02d%02dT%02d%02d%02dZ", parts.year, parts.month, parts.day, parts.hour, parts.minute,
            parts.second)
    }

    /// `20150830`.
    public static func dateStamp(_ date: Date) -> String {
        String(timestamp(date).prefix(8))
    }
}
