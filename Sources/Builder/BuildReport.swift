import OCI

/// What happened to one step (or, in a plan, what will).
public struct StepReport: Sendable, Hashable, Encodable {
    public enum Cache: String, Sendable, Hashable, Encodable {
        /// The layer was (or will be) reused from the build cache.
        case hit
        /// The layer was (or will be) written.
        case miss
        /// Not known without fetching the base or building an earlier step.
        case unknown
        /// `--no-cache`.
        case disabled
    }

    /// Position in `steps:`, from 0.
    public var index: Int
    public var kind: String
    /// The step's name, else its summary.
    public var title: String
    public var writesLayer: Bool
    /// For layer steps.
    public var cache: Cache?
    public var layer: String?
    public var diffID: String?
    public var size: Int64?
    public var seconds: Double?
    /// Why the step cannot be built (pip and conda steps, for now).
    public var note: String?
}

/// What a build made.
public struct BuildResult: Sendable {
    /// The image, ready for `ImageCopier` to write anywhere.
    public var image: BuiltImageSource
    public var steps: [StepReport]
    /// The base as named in the image's labels; nil for scratch.
    public var base: String?
    public var baseDigest: Digest?
    public var recipeDigest: Digest
    public var platform: Platform
    /// The lock file, when this build wrote (created or updated) it.
    public var lockFile: String?

    public var digest: Digest { image.manifest.digest }
    public var configDigest: Digest { image.config.digest }
}

/// A `--dry-run`: the base as resolved and each step with its cache status; nothing fetched
/// from a registry, nothing written.
public struct BuildPlan: Sendable, Encodable {
    public var recipe: String
    public var images: [String]
    public var platform: String
    /// The resolved base: a reference (a DLC spec as its URI), `oci:DIR[:TAG]` or `scratch`.
    public var base: String
    /// The base's manifest digest, when known without the network (layouts).
    public var baseDigest: String?
    public var recipeDigest: String
    public var steps: [StepReport]
}

/// Receives a build's progress.
public protocol BuildProgress: Sendable {
    func message(_ text: String)
    func stepFinished(_ report: StepReport, of total: Int)
}

public struct SilentBuildProgress: BuildProgress {
    public init() {}
    public func message(_ text: String) {}
    public func stepFinished(_ report: StepReport, of total: Int) {}
}
