/// A conda package as a channel's `repodata.json` describes it (CEP 34 `index.json` fields plus
/// where to get it), as the solver chose it and as the lock file records it. Field names in
/// JSON are conda's own (`build_number`, `track_features`), so a record decodes from repodata
/// and encodes into `conda-meta/*.json`.
public struct CondaPackageRecord: Sendable, Hashable, Codable {
    public var name: String
    public var version: String
    public var build: String
    public var buildNumber: Int
    public var depends: [String]
    public var constrains: [String]
    /// `linux-64`, `noarch`, …
    public var subdir: String
    /// `python` or `generic` for noarch packages.
    public var noarch: String?
    /// The package file name: `faiss-gpu-1.7.2-py3.10_h28a55e0_0.conda`.
    public var fn: String
    /// Where it is downloaded from (`https://…` or `file:///…`).
    public var url: String
    /// The channel's canonical URL: `https://conda.anaconda.org/conda-forge`.
    public var channel: String
    public var md5: String?
    public var sha256: String?
    public var size: Int64?
    /// Milliseconds since 1970 (conda's repodata unit).
    public var timestamp: Int64?
    public var license: String?
    public var trackFeatures: String?

    public init(
        name: String, version: String, build: String, buildNumber: Int, depends: [String] = [], constrains: [String] = [],
        subdir: String, noarch: String? = nil, fn: String, url: String, channel: String, md5: String? = nil,
        sha256: String? = nil, size: Int64? = nil, timestamp: Int64? = nil, license: String? = nil,
        trackFeatures: String? = nil
    ) {
        self.name = name
        self.version = version
        self.build = build
        self.buildNumber = buildNumber
        self.depends = depends
        self.constrains = constrains
        self.subdir = subdir
        self.noarch = noarch
        self.fn = fn
        self.url = url
        self.channel = channel
        self.md5 = md5
        self.sha256 = sha256
        self.size = size
        self.timestamp = timestamp
        self.license = license
        self.trackFeatures = trackFeatures
    }

    enum CodingKeys: String, CodingKey {
        case name, version, build, depends, constrains, subdir, noarch, fn, url, channel, md5, sha256, size, timestamp
        case license
        case buildNumber = "build_number"
        case trackFeatures = "track_features"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decode(String.self, forKey: .name)
        version = try container.decode(String.self, forKey: .version)
        build = try container.decode(String.self, forKey: .build)
        buildNumber = try container.decodeIfPresent(Int.self, forKey: .buildNumber) ?? 0
        depends = try container.decodeIfPresent([String].self, forKey: .depends) ?? []
        constrains = try container.decodeIfPresent([String].self, forKey: .constrains) ?? []
        subdir = try container.decodeIfPresent(String.self, forKey: .subdir) ?? ""
        // Old repodata writes `"noarch": true` for generic noarch packages.
        if let text = try? container.decodeIfPresent(String.self, forKey: .noarch) {
            noarch = text
        } else if let flag = try? container.decodeIfPresent(Bool.self, forKey: .noarch) {
            noarch = flag ? "generic" : nil
        } else {
            noarch = nil
        }
        fn = try container.decodeIfPresent(String.self, forKey: .fn) ?? ""
        url = try container.decodeIfPresent(String.self, forKey: .url) ?? ""
        channel = try container.decodeIfPresent(String.self, forKey: .channel) ?? ""
        md5 = try container.decodeIfPresent(String.self, forKey: .md5)
        sha256 = try container.decodeIfPresent(String.self, forKey: .sha256)
        size = try container.decodeIfPresent(Int64.self, forKey: .size)
        // Milliseconds normally; some old repodata has seconds, or a float.
        let rawTimestamp: Double? =
            if let whole = try? container.decodeIfPresent(Int64.self, forKey: .timestamp) {
                Double(whole)
            } else {
                try container.decodeIfPresent(Double.self, forKey: .timestamp)
            }
        timestamp = rawTimestamp.map { Int64($0 < 253_402_300_799 ? $0 * 1000 : $0) }
        license = try container.decodeIfPresent(String.self, forKey: .license)
        trackFeatures = try container.decodeIfPresent(String.self, forKey: .trackFeatures)
    }

    /// `name-version-build`, the key conda-meta files are named by.
    public var distName: String { "\(name)-\(version)-\(build)" }
}
