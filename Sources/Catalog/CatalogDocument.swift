import Foundation

/// The JSON form of a base-image catalog (`base-images.json`, or a custom catalog given with
/// `--catalog` / `SMIMG_CATALOG`), as written: every field optional so that a custom catalog can
/// carry only what it adds or changes. `Catalog` validates a complete document.
public struct CatalogDocument: Codable, Sendable, Equatable {
    /// How a custom catalog combines with the built-in one.
    public enum Mode: String, Codable, Sendable {
        /// Entries are merged into the built-in catalog (the default).
        case merge
        /// The custom catalog is used on its own.
        case replace
    }

    public var schema: String?
    public var about: String?
    public var mode: Mode?
    public var sources: [String: String]?
    public var partitions: [String: PartitionEntry]?
    public var regions: [String: RegionEntry]?
    public var variants: [String: VariantEntry]?
    public var tagFormats: [String: TagFormatEntry]?
    public var repositories: [String: RepositoryEntry]?

    public init(
        schema: String? = nil, about: String? = nil, mode: Mode? = nil, sources: [String: String]? = nil,
        partitions: [String: PartitionEntry]? = nil, regions: [String: RegionEntry]? = nil,
        variants: [String: VariantEntry]? = nil, tagFormats: [String: TagFormatEntry]? = nil,
        repositories: [String: RepositoryEntry]? = nil
    ) {
        self.schema = schema
        self.about = about
        self.mode = mode
        self.sources = sources
        self.partitions = partitions
        self.regions = regions
        self.variants = variants
        self.tagFormats = tagFormats
        self.repositories = repositories
    }

    /// An AWS partition: DNS suffix and the ECR registry host patterns.
    public struct PartitionEntry: Codable, Sendable, Equatable {
        public var dnsSuffix: String?
        public var registryHost: String?
        public var fipsRegistryHost: String?
        public var fipsRegions: [String]?
        public var dualStackRegistryHost: String?
        public var dualStackFipsRegistryHost: String?
        public var source: String?
        public var note: String?

        public init(
            dnsSuffix: String? = nil, registryHost: String? = nil, fipsRegistryHost: String? = nil,
            fipsRegions: [String]? = nil, dualStackRegistryHost: String? = nil,
            dualStackFipsRegistryHost: String? = nil, source: String? = nil, note: String? = nil
        ) {
            self.dnsSuffix = dnsSuffix
            self.registryHost = registryHost
            self.fipsRegistryHost = fipsRegistryHost
            self.fipsRegions = fipsRegions
            self.dualStackRegistryHost = dualStackRegistryHost
            self.dualStackFipsRegistryHost = dualStackFipsRegistryHost
            self.source = source
            self.note = note
        }
    }

    /// A region: its partition, display name and the DLC registry account serving it.
    public struct RegionEntry: Codable, Sendable, Equatable {
        public var partition: String?
        public var name: String?
        public var dlcAccount: String?
        public var source: String?
        public var note: String?

        public init(
            partition: String? = nil, name: String? = nil, dlcAccount: String? = nil,
            source: String? = nil, note: String? = nil
        ) {
            self.partition = partition
            self.name = name
            self.dlcAccount = dlcAccount
            self.source = source
            self.note = note
        }
    }

    /// A platform variant (`sagemaker`, `ec2`): what it appends to full and short tags.
    public struct VariantEntry: Codable, Sendable, Equatable {
        public var suffix: String?
        public var shortSuffix: String?

        public init(suffix: String? = nil, shortSuffix: String? = nil) {
            self.suffix = suffix
            self.shortSuffix = shortSuffix
        }
    }

    /// A tag formula: templates for the full tag and, where published, the short tag.
    public struct TagFormatEntry: Codable, Sendable, Equatable {
        public var full: String?
        public var short: String?

        public init(full: String? = nil, short: String? = nil) {
            self.full = full
            self.short = short
        }
    }

    /// One ECR repository of DLC images.
    public struct RepositoryEntry: Codable, Sendable, Equatable {
        public var framework: String?
        public var scope: String?
        public var architecture: String?
        public var tagFormat: String?
        public var variants: [String]?
        public var regionsNotListed: [String]?
        public var note: String?
        public var source: String?
        public var versionAliases: [String: String]?
        public var versions: [String: VersionEntry]?

        public init(
            framework: String? = nil, scope: String? = nil, architecture: String? = nil,
            tagFormat: String? = nil, variants: [String]? = nil, regionsNotListed: [String]? = nil,
            note: String? = nil, source: String? = nil, versionAliases: [String: String]? = nil,
            versions: [String: VersionEntry]? = nil
        ) {
            self.framework = framework
            self.scope = scope
            self.architecture = architecture
            self.tagFormat = tagFormat
            self.variants = variants
            self.regionsNotListed = regionsNotListed
            self.note = note
            self.source = source
            self.versionAliases = versionAliases
            self.versions = versions
        }
    }

    /// The tag parts published for one version. Lists give the choices, the first is the
    /// default; a processor entry's lists replace the version's.
    public struct VersionEntry: Codable, Sendable, Equatable {
        public var base: [String]?
        public var python: [String]?
        public var os: [String]?
        public var cuda: [String]?
        public var sdk: [String]?
        public var variants: [String]?
        public var processors: [String: PartChoices]?
        public var source: String?
        public var note: String?

        public init(
            base: [String]? = nil, python: [String]? = nil, os: [String]? = nil, cuda: [String]? = nil,
            sdk: [String]? = nil, variants: [String]? = nil, processors: [String: PartChoices]? = nil,
            source: String? = nil, note: String? = nil
        ) {
            self.base = base
            self.python = python
            self.os = os
            self.cuda = cuda
            self.sdk = sdk
            self.variants = variants
            self.processors = processors
            self.source = source
            self.note = note
        }
    }

    /// Per-processor choices of tag parts.
    public struct PartChoices: Codable, Sendable, Equatable {
        public var base: [String]?
        public var python: [String]?
        public var os: [String]?
        public var cuda: [String]?
        public var sdk: [String]?
        public var variants: [String]?
        public var note: String?

        public init(
            base: [String]? = nil, python: [String]? = nil, os: [String]? = nil, cuda: [String]? = nil,
            sdk: [String]? = nil, variants: [String]? = nil, note: String? = nil
        ) {
            self.base = base
            self.python = python
            self.os = os
            self.cuda = cuda
            self.sdk = sdk
            self.variants = variants
            self.note = note
        }
    }
}
