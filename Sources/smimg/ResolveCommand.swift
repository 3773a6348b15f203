import ArgumentParser
import Catalog
import Foundation
import OCI
import Transfer

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

    @Flag(help: "Ask the registry whether the tag exists; when it does not, list the nearest existing tags and exit 3.")
    var check = false

    @OptionGroup var access: RegistryAccessOptions
    @OptionGroup var output: OutputOptions

    var json: Bool { output.json }

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
        output.bootstrapLogging()
        try await ErrorReporting.run(json: output.json) {
            try await resolve()
        }
    }

    private func resolve() async throws {
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
        var existence: TagExistence?
        if check {
            existence = try await checkTag(of: image)
            if existence?.exists == false, !json {
                throw ResolveCheckError(uri: image.uri, nearest: existence?.nearest ?? [])
            }
        }

        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            if let existence {
                struct Checked: Encodable { var image: ResolvedImage; var check: TagExistence }
                print(String(decoding: try encoder.encode(Checked(image: image, check: existence)), as: UTF8.self))
            } else {
                print(String(decoding: try encoder.encode(image), as: UTF8.self))
            }
        } else {
            print(image.uri)
            for note in image.notes {
                FileHandle.standardError.write(Data("note: \(note)\n".utf8))
            }
        }
        if let existence, !existence.exists {
            // The JSON on stdout says what was found; the status says it is missing.
            throw ExitCode(3)
        }
    }

    /// Reads the repository's tag list (with the registry's credentials, ECR logins from
    /// `--profile`) and looks for the resolved tag.
    private func checkTag(of image: ResolvedImage) async throws -> TagExistence {
        let reference = try ImageReference(parsing: image.uri)
        let tags = try await access.withRegistry(for: .registry(reference), output: output) { client in
            try await client.tags(reference.with(tag: nil))
        }
        let exists = tags.contains(image.tag)
        return TagExistence(exists: exists, nearest: exists ? [] : NearbyTags.nearest(to: image.tag, in: tags))
    }
}

/// What `--check` found.
struct TagExistence: Encodable {
    var exists: Bool
    var nearest: [String]
}

/// The resolved tag is not in the registry: not found (exit 3), with the nearest tags.
struct ResolveCheckError: Error, CustomStringConvertible {
    var uri: String
    var nearest: [String]

    var description: String {
        let hint = nearest.isEmpty ? "the repository has no tags" : "nearest existing tags: \(nearest.joined(separator: ", "))"
        return "\(uri) does not exist in the registry; \(hint)"
    }
}

private extension Optional where Wrapped == String {
    var nonEmpty: String? {
        guard let value = self, !value.isEmpty else { return nil }
        return value
    }
}
