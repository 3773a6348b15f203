/// A resolved DLC image: where it lives and every tag part that went into its tag.
public struct ResolvedImage: Sendable, Hashable, Codable {
    /// `763104351884.dkr.ecr.us-east-1.amazonaws.com/pytorch-training:2.1.0-gpu-py310-cu121-ubuntu20.04-sagemaker`
    public var uri: String
    public var registryHost: String
    public var account: String
    public var region: String
    public var partition: String
    public var dnsSuffix: String
    public var repository: String
    public var tag: String
    public var version: String
    public var processor: String
    public var python: String?
    public var cuda: String?
    public var os: String?
    public var sdk: String?
    public var baseVersion: String?
    public var variant: String?
    /// Caveats from the catalog: regions where the SDK does not list the repository, limited
    /// isolated-region coverage.
    public var notes: [String]

    public init(
        uri: String, registryHost: String, account: String, region: String, partition: String, dnsSuffix: String,
        repository: String, tag: String, version: String, processor: String, python: String?, cuda: String?,
        os: String?, sdk: String?, baseVersion: String?, variant: String?, notes: [String]
    ) {
        self.uri = uri
        self.registryHost = registryHost
        self.account = account
        self.region = region
        self.partition = partition
        self.dnsSuffix = dnsSuffix
        self.repository = repository
        self.tag = tag
        self.version = version
        self.processor = processor
        self.python = python
        self.cuda = cuda
        self.os = os
        self.sdk = sdk
        self.baseVersion = baseVersion
        self.variant = variant
        self.notes = notes
    }
}
