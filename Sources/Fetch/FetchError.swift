/// What can go wrong fetching a URL. Messages never include credentials from the URL.
public enum FetchError: Error, CustomStringConvertible, Sendable {
    /// Not an `http`, `https` or `file` URL.
    case unsupportedURL(String)
    /// The server answered with an error status.
    case status(url: String, code: Int)
    /// The download's hash differs from the expected one: the file is not what was pinned.
    case hashMismatch(url: String, algorithm: String, expected: String, actual: String)
    /// The body was larger than the caller allows.
    case tooLarge(url: String, limit: Int)
    /// The connection failed and retries were exhausted.
    case transport(url: String, reason: String)
    /// A local file could not be read or written.
    case io(path: String, reason: String)
    /// More redirects than allowed, or a redirect without a location.
    case badRedirect(url: String, reason: String)

    public var description: String {
        switch self {
        case .unsupportedURL(let url):
            return "\(url) is not an http://, https:// or file:// URL"
        case .status(let url, let code):
            let hint: String
            switch code {
            case 401, 403: hint = "check the credentials for this host (user:password@ in the index URL, or ~/.netrc)"
            case 404: hint = "check the URL and that the package or file exists there"
            default: hint = code >= 500 ? "the server failed; try again later" : "check the URL"
            }
            return "GET \(url) returned HTTP \(code); \(hint)"
        case .hashMismatch(let url, let algorithm, let expected, let actual):
            return "\(url): \(algorithm) is \(actual) but \(expected) was expected; the file changed or the pin is wrong, nothing was installed from it"
        case .tooLarge(let url, let limit):
            return "\(url) is larger than \(limit) bytes, more than an index page should be"
        case .transport(let url, let reason):
            return "cannot fetch \(url): \(reason); check the network or proxy, then run again (completed downloads are kept)"
        case .io(let path, let reason):
            return "\(path): \(reason)"
        case .badRedirect(let url, let reason):
            return "\(url): \(reason)"
        }
    }
}
