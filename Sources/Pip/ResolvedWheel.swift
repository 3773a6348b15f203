/// One wheel a pip step installs, as the resolver chose it and as the lock file records it.
public struct ResolvedWheel: Sendable, Hashable, Codable {
    /// Normalized project name (PEP 503): `torch-geometric`.
    public var name: String
    /// The version as the wheel's name writes it: `2.1.0+cu118`.
    public var version: String
    /// The wheel's file name: `torch-2.1.0+cu118-cp310-cp310-linux_x86_64.whl`.
    public var filename: String
    /// Where it is downloaded from: `https://…`, or `file:///…` for a wheel on the build host.
    public var url: String
    /// Lowercase hex SHA-256 of the wheel file; every download is checked against it.
    public var sha256: String
    /// Size in bytes when the index gave it.
    public var size: Int64?
    /// Named by the recipe (pip writes `REQUESTED` for these), not pulled in as a dependency.
    public var requested: Bool
    /// Given as a URL or path rather than found in an index (pip writes `direct_url.json`).
    public var direct: Bool

    public init(
        name: String, version: String, filename: String, url: String, sha256: String, size: Int64? = nil,
        requested: Bool, direct: Bool
    ) {
        self.name = name
        self.version = version
        self.filename = filename
        self.url = url
        self.sha256 = sha256
        self.size = size
        self.requested = requested
        self.direct = direct
    }
}
