import Foundation

/// A URL the fetcher accepts, split into what requests need: the address without credentials,
/// the credentials (sent only to the same host), and a form safe to print.
struct FetchURL: Sendable, Hashable {
    enum Scheme: String, Sendable { case http, https, file }

    let scheme: Scheme
    /// The URL without `user:password@` and without a fragment.
    let address: String
    /// `host` or `host:port`, lowercase; empty for file URLs.
    let authority: String
    let host: String
    /// `user:password` from the URL, if any.
    let userInfo: String?
    /// The local path of a file URL.
    let filePath: String?

    init(_ text: String) throws {
        guard var components = URLComponents(string: text), let schemeText = components.scheme?.lowercased(),
              let scheme = Scheme(rawValue: schemeText)
        else { throw FetchError.unsupportedURL(Self.redact(text)) }
        self.scheme = scheme
        components.fragment = nil
        if let user = components.percentEncodedUser {
            userInfo = user + ":" + (components.percentEncodedPassword ?? "")
        } else {
            userInfo = nil
        }
        components.user = nil
        components.password = nil
        if scheme == .file {
            filePath = components.path.removingPercentEncoding ?? components.path
            host = ""
            authority = ""
        } else {
            guard let host = components.host?.lowercased(), !host.isEmpty else { throw FetchError.unsupportedURL(Self.redact(text)) }
            self.host = host
            authority = components.port.map { "\(host):\($0)" } ?? host
            filePath = nil
        }
        guard let address = components.string else { throw FetchError.unsupportedURL(Self.redact(text)) }
        self.address = address
    }

    /// The URL as it may appear in messages.
    var display: String { address }

    /// The `Authorization` value for the URL's own credentials.
    var basicAuthorization: String? {
        guard let userInfo else { return nil }
        let decoded = userInfo.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).map {
            String($0).removingPercentEncoding ?? String($0)
        }.joined(separator: ":")
        return "Basic " + Data(decoded.utf8).base64EncodedString()
    }

    /// A redirect target, resolved against this URL.
    func resolving(_ location: String) throws -> FetchURL {
        guard let base = URL(string: address), let resolved = URL(string: location, relativeTo: base)?.absoluteString else {
            throw FetchError.badRedirect(url: display, reason: "the redirect location '\(Self.redact(location))' is not a URL")
        }
        return try FetchURL(resolved)
    }

    /// Text with any `user:password@` removed, for messages about URLs that did not parse.
    static func redact(_ text: String) -> String {
        guard let schemeEnd = text.range(of: "://") else { return text }
        let rest = text[schemeEnd.upperBound...]
        let authorityEnd = rest.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) ?? rest.endIndex
        guard let at = rest[..<authorityEnd].lastIndex(of: "@") else { return text }
        return String(text[..<schemeEnd.upperBound]) + "***@" + String(rest[rest.index(after: at)...])
    }
}
