import Archive
import Catalog
import Fetch
import OCI
import Recipe

/// How `ImageBuilder` builds.
public struct BuildOptions: Sendable {
    /// Overrides the recipe's `platform:`.
    public var platform: Platform?
    /// False: every layer is written anew (`--no-cache`); the results are still recorded.
    public var useCache: Bool
    /// File times and `created`: SOURCE_DATE_EPOCH, else 0.
    public var sourceDateEpoch: Int64
    /// The catalog DLC bases resolve through; nil loads the built-in one (and SMIMG_CATALOG).
    public var catalog: Catalog?
    /// Base layers downloaded at once.
    public var jobs: Int
    /// `--locked`: pip and conda steps must find their resolution in the lock file.
    public var locked: Bool
    /// How package indexes, channels and artifacts are reached.
    public var fetch: FetchSettings

    public init(
        platform: Platform? = nil, useCache: Bool = true, sourceDateEpoch: Int64 = 0, catalog: Catalog? = nil, jobs: Int = 4,
        locked: Bool = false, fetch: FetchSettings = FetchSettings()
    ) {
        self.platform = platform
        self.useCache = useCache
        self.sourceDateEpoch = sourceDateEpoch
        self.catalog = catalog
        self.jobs = jobs
        self.locked = locked
        self.fetch = fetch
    }

    /// The layer writer's compression for a recipe's `compression:`. The recipe's gzip levels
    /// 1–9 map onto ISA-L's 1–3 (1–3 → 1, 4–6 → 2, 7–9 → 3); zstd levels are libzstd's.
    static func compression(_ recipe: LayerCompression) -> Compression {
        switch recipe.algorithm {
        case .gzip:
            guard let level = recipe.level else { return .gzip() }
            return .gzip(level: min(3, max(1, (level + 2) / 3)))
        case .zstd:
            return recipe.level.map { .zstd(level: $0) } ?? .zstd()
        }
    }
}

extension BuildOptions {
    /// `SOURCE_DATE_EPOCH` from the environment, 0 when unset; throws when malformed.
    public static func sourceDateEpochFromEnvironment() throws -> Int64 {
        try SourceDateEpoch.mtime()
    }
}
