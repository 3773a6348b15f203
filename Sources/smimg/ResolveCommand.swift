import ArgumentParser
import Catalog
import Foundation

/// `smimg resolve`: the URI of an AWS Deep Learning Container image for a region, from the
/// built-in catalog (base-images.json) or a custom one.
struct ResolveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "resolve",
        abstract: "Print the image URI of an AWS Deep Learning Container for a region.",
        discussion: """
            Parts left out (python, cuda, os) get the catalog's defaults for the version and \
            processor; a version such as 2.1 picks the newest 2.1.x. For Hugging Face repositories \
            --version is the transformers version and --base the framework version.

            Examples:
              smimg resolve pytorch-training --version 2.1 --gpu --python py310 --region cn-northwest-1
              smimg resolve huggingface-pytorch-inference --version 4.51 --cpu --region eu-west-1 --json

            A custom catalog (--catalog FILE, or SMIMG_CATALOG) merges into the built-in one \
            unless it says "mode": "replace"; see docs/catalog.md.
            """)

    @Argument(help: "DLC repository, e.g. pytorch-training, huggingface-pytorch-inference.")
    var repository: String

    @Option(help: "Framework version (2.1.0, or 2.1 for the newest 2.1.x); transformers version for Hugging Face repositories. Default: the newest listed.")
    var version: String?

    @Flag(help: "GPU image.")
    var gpu = false

    @Flag(help: "CPU image.")
    var cpu = false

    @Option(help: "Processor: gpu, cpu, neuronx, neuron. Default: gpu where offered.")
    var processor: String?

    @Option(help: "Python part, e.g. py310 (3.10 also accepted).")
    var python: String?

    @Option(help: "CUDA part, e.g. cu121 (12.1 also accepted).")
    var cuda: String?

    @Option(help: "OS part, e.g. ubuntu22.04.")
    var os: String?

    @Option(help: "Neuron SDK version for neuron images, e.g. 2.26.1.")
    var sdk: String?

    @Option(help: "Framework version that starts Hugging Face tags, e.g. 2.8.0.")
    var base: String?

    @Option(help: "AWS region. Default: AWS_REGION, then AWS_DEFAULT_REGION.")
    var region: String?

    @Flag(help: "The EC2/ECS/EKS variant (tag ends in -ec2) instead of SageMaker.")
    var ec2 = false

    @Option(help: "Platform variant: sagemaker or ec2. Default: the repository's (SageMaker where offered).")
    var variant: String?

    @Flag(help: "The short tag alias (2.9.0-gpu-py312) instead of the full tag.")
    var short = false

    @Option(help: "Registry endpoint: standard, fips, dual-stack, dual-stack-fips.")
    var endpoint: String = RegistryEndpoint.standard.rawValue

    @Option(help: "Custom catalog JSON file (overrides SMIMG_CATALOG).")
    var catalog: String?

    @Flag(help: "Print a JSON object with the URI and every tag part instead of the URI.")
    var json = false

    func validate() throws {
        if gpu && cpu { throw ValidationError("--gpu and --cpu exclude each other") }
        if let processor, gpu || cpu, processor.lowercased() != (gpu ? "gpu" : "cpu") {
            throw ValidationError("--processor \(processor) contradicts --\(gpu ? "gpu" : "cpu")")
        }
        if ec2, let variant, variant.lowercased() != "ec2" {
            throw ValidationError("--variant \(variant) contradicts --ec2")
        }
        if RegistryEndpoint(rawValue: endpoint.lowercased()) == nil {
            throw ValidationError("--endpoint must be one of \(RegistryEndpoint.allCases.map(\.rawValue).joined(separator: ", "))")
        }
    }

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        guard let region = region ?? environment["AWS_REGION"].nonEmpty ?? environment["AWS_DEFAULT_REGION"].nonEmpty else {
            throw ValidationError("no region: give --region (or set AWS_REGION)")
        }
        let spec = DLCSpec(
            repository: repository, version: version, processor: gpu ? "gpu" : cpu ? "cpu" : processor,
            python: python, cuda: cuda, os: os, sdk: sdk, baseVersion: base, region: region,
            variant: ec2 ? "ec2" : variant, endpoint: RegistryEndpoint(rawValue: endpoint.lowercased()) ?? .standard,
            tagForm: short ? .short : .full)
        let resolver = DLCResolver(catalog: try Catalog.load(customFile: catalog, environment: environment))
        let image = try resolver.resolve(spec)

        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(image), as: UTF8.self))
        } else {
            print(image.uri)
            for note in image.notes {
                FileHandle.standardError.write(Data("note: \(note)\n".utf8))
            }
        }
    }
}

private extension Optional where Wrapped == String {
    var nonEmpty: String? {
        guard let value = self, !value.isEmpty else { return nil }
        return value
    }
}
