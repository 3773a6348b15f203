/// How a `Fetcher` reaches servers: which extra CA to trust, which hosts are exempt from TLS
/// verification, how often to retry.
public struct FetchSettings: Sendable {
    /// A PEM file of extra trusted certificates (a private index behind a company CA).
    public var caFile: String?
    /// `host` or `host:port` entries whose TLS certificates are not verified. Only for hosts
    /// the user marked insecure explicitly.
    public var insecureHosts: Set<String>
    /// Attempts per request (and resumes per download) before giving up.
    public var maxAttempts: Int
    public var userAgent: String

    public init(caFile: String? = nil, insecureHosts: Set<String> = [], maxAttempts: Int = 5, userAgent: String = "smimg") {
        self.caFile = caFile
        self.insecureHosts = insecureHosts
        self.maxAttempts = max(1, maxAttempts)
        self.userAgent = userAgent
    }
}
