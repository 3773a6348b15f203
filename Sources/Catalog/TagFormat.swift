/// A named tag formula: the full tag and, where such tags are published, the short one.
public struct TagFormat: Sendable, Hashable {
    public let name: String
    public let full: TagTemplate
    public let short: TagTemplate?

    public init(name: String, full: TagTemplate, short: TagTemplate?) {
        self.name = name
        self.full = full
        self.short = short
    }

    /// The placeholders a tag formula may use.
    public static let partNames: Set<String> = [
        "version", "base", "processor", "python", "cuda", "sdk", "os", "suffix", "shortSuffix",
    ]
}
