/// What a caller asks for: a DLC repository and the tag parts it cares about, in a region.
/// Parts left out get the catalog's defaults for the version and processor.
public struct DLCSpec: Sendable, Hashable, Codable {
    /// ECR repository, e.g. `pytorch-training`, `huggingface-pytorch-inference`.
    public var repository: String
    /// Framework version (`2.1.0`, or `2.1` for the newest 2.1.x); for Hugging Face repositories
    /// the transformers version. Nil means the newest listed version.
    public var version: String?
    /// `gpu`, `cpu`, `neuronx`, `neuron`. Nil means `gpu` when offered, else the only/first one.
    public var processor: String?
    /// `py310` (also accepted: `3.10`, `310`).
    public var python: String?
    /// `cu121` (also accepted: `12.1`, `121`).
    public var cuda: String?
    /// `ubuntu22.04` (also accepted: `22.04`).
    public var os: String?
    /// Neuron SDK version for neuron images, `2.26.1`.
    public var sdk: String?
    /// The framework version that starts Hugging Face tags (`2.8.0` in `2.8.0-transformers4.56.2-...`).
    public var baseVersion: String?
    public var region: String
    /// `sagemaker` or `ec2`; nil means the repository's default (SageMaker where offered).
    public var variant: String?
    public var endpoint: RegistryEndpoint
    public var tagForm: TagForm

    public init(
        repository: String, version: String? = nil, processor: String? = nil, python: String? = nil,
        cuda: String? = nil, os: String? = nil, sdk: String? = nil, baseVersion: String? = nil,
        region: String, variant: String? = nil, endpoint: RegistryEndpoint = .standard, tagForm: TagForm = .full
    ) {
        self.repository = repository
        self.version = version
        self.processor = processor
        self.python = python
        self.cuda = cuda
        self.os = os
        self.sdk = sdk
        self.baseVersion = baseVersion
        self.region = region
        self.variant = variant
        self.endpoint = endpoint
        self.tagForm = tagForm
    }

    /// The shape of a recipe's `base: {dlc: pytorch-training, version: 2.1, region: cn-northwest-1, gpu: true}`.
    /// `gpu: nil` leaves the processor to the catalog's default; `ec2: true` picks the EC2 variant.
    public init(
        dlc: String, version: String? = nil, region: String, gpu: Bool? = nil, python: String? = nil,
        cuda: String? = nil, os: String? = nil, ec2: Bool = false
    ) {
        self.init(
            repository: dlc, version: version, processor: gpu.map { $0 ? "gpu" : "cpu" }, python: python,
            cuda: cuda, os: os, region: region, variant: ec2 ? "ec2" : nil)
    }

    /// Field names accepted by `init(fields:)`.
    public static let fieldNames = [
        "dlc", "repository", "version", "region", "gpu", "processor", "python", "cuda", "os", "sdk", "base",
        "variant", "ec2", "endpoint", "tag",
    ]

    /// Builds a spec from a recipe's `base: {dlc: ...}` mapping with its scalars as text: `dlc`
    /// (or `repository`) and `region` are required; `gpu`/`ec2` take true/false/yes/no; `tag`
    /// takes full/short. Unknown fields are errors naming the nearest valid field.
    public init(fields: [String: String]) throws(CatalogError) {
        for key in fields.keys where !Self.fieldNames.contains(key) {
            throw .invalidSpecField(key, suggestions: NameSuggestions.nearest(to: key, in: Self.fieldNames))
        }
        if fields["dlc"] != nil, fields["repository"] != nil {
            throw .invalidSpecValue(field: "repository", value: fields["repository"] ?? "", expected: "either 'dlc' or 'repository', not both")
        }
        guard let repository = fields["dlc"] ?? fields["repository"], !repository.isEmpty else {
            throw .missingSpecField("dlc")
        }
        guard let region = fields["region"], !region.isEmpty else { throw .missingSpecField("region") }

        var processor = fields["processor"]
        if let gpuText = fields["gpu"] {
            let gpu = try Self.boolean(gpuText, field: "gpu")
            let implied = gpu ? "gpu" : "cpu"
            if let processor, processor.lowercased() != implied {
                throw .invalidSpecValue(field: "gpu", value: gpuText, expected: "a value agreeing with processor '\(processor)'")
            }
            processor = implied
        }
        var variant = fields["variant"]
        if let ec2Text = fields["ec2"], try Self.boolean(ec2Text, field: "ec2") {
            if let variant, variant.lowercased() != "ec2" {
                throw .invalidSpecValue(field: "ec2", value: ec2Text, expected: "a value agreeing with variant '\(variant)'")
            }
            variant = "ec2"
        }
        var endpoint = RegistryEndpoint.standard
        if let text = fields["endpoint"] {
            guard let value = RegistryEndpoint(rawValue: text.lowercased()) else {
                throw .invalidSpecValue(field: "endpoint", value: text, expected: RegistryEndpoint.allCases.map(\.rawValue).joined(separator: ", "))
            }
            endpoint = value
        }
        var tagForm = TagForm.full
        if let text = fields["tag"] {
            guard let value = TagForm(rawValue: text.lowercased()) else {
                throw .invalidSpecValue(field: "tag", value: text, expected: TagForm.allCases.map(\.rawValue).joined(separator: ", "))
            }
            tagForm = value
        }
        self.init(
            repository: repository, version: fields["version"], processor: processor, python: fields["python"],
            cuda: fields["cuda"], os: fields["os"], sdk: fields["sdk"], baseVersion: fields["base"], region: region,
            variant: variant, endpoint: endpoint, tagForm: tagForm)
    }

    private static func boolean(_ text: String, field: String) throws(CatalogError) -> Bool {
        switch text.lowercased() {
        case "true", "yes", "on", "1": return true
        case "false", "no", "off", "0": return false
        default: throw .invalidSpecValue(field: field, value: text, expected: "true or false")
        }
    }
}
