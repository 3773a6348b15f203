/// A platform variant and what it appends to full and short tags (`-sagemaker`, `-ec2`).
public struct TagVariant: Sendable, Hashable {
    public let name: String
    public let suffix: String
    public let shortSuffix: String

    public init(name: String, suffix: String, shortSuffix: String) {
        self.name = name
        self.suffix = suffix
        self.shortSuffix = shortSuffix
    }
}
