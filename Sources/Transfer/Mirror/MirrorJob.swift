import OCI

/// One image a mirror copies: from a source reference to a destination reference, optionally
/// one platform of an index only.
public struct MirrorJob: Sendable, Hashable {
    public var source: ImageReference
    public var destination: ImageReference
    public var platform: Platform?

    public init(source: ImageReference, destination: ImageReference, platform: Platform? = nil) {
        self.source = source
        self.destination = destination
        self.platform = platform
    }

    /// A single-image mirror: a destination without tag or digest takes the source's tag (the
    /// destination is named as a repository); with a digest-only source it is written by digest.
    public static func single(source: ImageReference, destination: ImageReference, platform: Platform? = nil) -> MirrorJob {
        var target = destination
        if destination.tag == nil, destination.digest == nil {
            target = destination.with(tag: source.tag, digest: source.tag == nil ? source.digest : nil)
        }
        return MirrorJob(source: source, destination: target, platform: platform)
    }
}
