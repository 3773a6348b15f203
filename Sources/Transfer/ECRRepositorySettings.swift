import AWS

/// How a missing ECR repository is created on push.
public struct ECRRepositorySettings: Sendable {
    public var scanOnPush: Bool
    public var tagMutability: ECR.ImageTagMutability
    public var encryption: ECR.EncryptionConfiguration?
    public var tags: [String: String]

    public init(
        scanOnPush: Bool = false, tagMutability: ECR.ImageTagMutability = .mutable,
        encryption: ECR.EncryptionConfiguration? = nil, tags: [String: String] = [:]
    ) {
        self.scanOnPush = scanOnPush
        self.tagMutability = tagMutability
        self.encryption = encryption
        self.tags = tags
    }
}
