import OCI

/// A parsed and validated `smimg build` recipe: what to build (`image`, `platform`), on what
/// (`base`), how layers are compressed, and the steps applied in order.
///
/// Read one with `Recipe.load(path:)` or `Recipe.parse(yaml:filePath:baseDirectory:)`; the
/// format is described in docs/recipe.md.
public struct Recipe: Sendable, Hashable {
    /// The recipe file as it was named (used in messages).
    public var file: String
    /// The absolute directory host paths are relative to: the recipe file's directory.
    public var directory: String
    /// The references to tag the result with (at least one).
    public var images: [ImageReference]
    public var platform: Platform
    public var base: BaseImage
    /// Where `base:` was written, for errors found while resolving or pulling it.
    public var baseLocation: SourceLocation
    public var compression: LayerCompression
    public var steps: [RecipeStep]

    public init(
        file: String, directory: String, images: [ImageReference], platform: Platform, base: BaseImage,
        baseLocation: SourceLocation, compression: LayerCompression, steps: [RecipeStep]
    ) {
        self.file = file
        self.directory = directory
        self.images = images
        self.platform = platform
        self.base = base
        self.baseLocation = baseLocation
        self.compression = compression
        self.steps = steps
    }

    /// The default target platform.
    public static let defaultPlatform = Platform(os: "linux", architecture: "amd64")

    /// The canonical JSON encoding of what the recipe says (see `digest`).
    public var canonicalEncoding: String { canonical.encoded }

    /// SHA-256 over the canonical encoding: the same for every YAML spelling of the same recipe
    /// (quoting, flow or block style, comments, `env` as a list or a mapping, defaults written
    /// out or left out) and different as soon as a value changes. Host paths enter as written
    /// (relative to the recipe), so the digest is the same on every machine. It covers the recipe
    /// only, not the contents of the files it copies.
    public var digest: Digest { canonical.digest }

    var canonical: CanonicalValue {
        .object([
            "format": .string("smimg.recipe/1"),
            "images": .strings(images.map(\.description)),
            "platform": .string(platform.description),
            "base": base.canonical,
            "compression": compression.canonical,
            "steps": .list(steps.map(\.canonical)),
        ])
    }
}
