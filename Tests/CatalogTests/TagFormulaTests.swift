import Foundation
import Testing
@testable import Catalog

@Suite("Tag formulas produce the published tags")
struct TagFormulaTests {
    let resolver: DLCResolver

    init() throws {
        resolver = DLCResolver(catalog: try Catalog.builtIn())
    }

    func tag(_ spec: DLCSpec) throws -> String { try resolver.resolve(spec).tag }

    @Test func readmeExampleTagsAreReproduced() throws {
        let readme = try ReferenceData.load().readme
        let full = try tag(DLCSpec(repository: "pytorch-training", version: "2.9.0", processor: "gpu", region: "us-east-1"))
        let short = try tag(DLCSpec(repository: "pytorch-training", version: "2.9.0", processor: "gpu", region: "us-east-1", tagForm: .short))
        #expect(full == "2.9.0-gpu-py312-cu130-ubuntu22.04-sagemaker")
        #expect(readme.contains("`\(full)`"), "README documents \(full)")
        #expect(short == "2.9.0-gpu-py312")
        #expect(readme.contains("`\(short)`"), "README documents \(short)")

        let huggingFace = try resolver.resolve(DLCSpec(repository: "huggingface-pytorch-training", version: "5.3.0", region: "us-east-1"))
        let documented = try #require(
            readme.components(separatedBy: "`").first { $0.hasPrefix("{pt}-transformers{hf}-") }, "README's Hugging Face formula")
        let expected = documented
            .replacingOccurrences(of: "{pt}", with: try #require(huggingFace.baseVersion))
            .replacingOccurrences(of: "{hf}", with: huggingFace.version)
        #expect(huggingFace.tag == expected)
        #expect(huggingFace.tag == "2.9.0-transformers5.3.0-gpu-py312-cu130-ubuntu22.04")
    }

    @Test func cpuTagsLeaveOutTheCudaPart() throws {
        #expect(try tag(DLCSpec(repository: "pytorch-training", version: "2.9", processor: "cpu", region: "us-east-1"))
            == "2.9.0-cpu-py312-ubuntu22.04-sagemaker")
    }

    @Test func ec2VariantsEndInEc2InFullAndShortTags() throws {
        #expect(try tag(DLCSpec(repository: "pytorch-training", version: "2.9", region: "us-west-2", variant: "ec2"))
            == "2.9.0-gpu-py312-cu130-ubuntu22.04-ec2")
        #expect(try tag(DLCSpec(repository: "pytorch-training", version: "2.8", processor: "cpu", region: "us-west-2", variant: "ec2", tagForm: .short))
            == "2.8.0-cpu-py312-ec2")
    }

    @Test func briefExampleUriInUsEast1() throws {
        let image = try resolver.resolve(DLCSpec(
            repository: "pytorch-training", version: "2.1.0", processor: "gpu", python: "py310", cuda: "cu121",
            os: "ubuntu20.04", region: "us-east-1", variant: "sagemaker"))
        #expect(image.uri == "763104351884.dkr.ecr.us-east-1.amazonaws.com/pytorch-training:2.1.0-gpu-py310-cu121-ubuntu20.04-sagemaker")
    }

    @Test func earlierCuda118BuildOfPyTorch21IsSelectable() throws {
        #expect(try tag(DLCSpec(repository: "pytorch-training", version: "2.1", cuda: "cu118", region: "us-east-1"))
            == "2.1.0-gpu-py310-cu118-ubuntu20.04-sagemaker")
    }

    @Test func neuronTagsCarryTheSdkVersion() throws {
        #expect(try tag(DLCSpec(repository: "pytorch-training-neuronx", version: "2.8", region: "us-west-2"))
            == "2.8.0-neuronx-py311-sdk2.26.1-ubuntu22.04")
        #expect(try tag(DLCSpec(repository: "huggingface-pytorch-inference-neuronx", version: "4.36.2", region: "us-east-1"))
            == "2.1.2-transformers4.36.2-neuronx-py310-sdk2.18.0-ubuntu20.04")
    }

    @Test func huggingFaceInferenceCpuAndGpuTags() throws {
        #expect(try tag(DLCSpec(repository: "huggingface-pytorch-inference", version: "4.37", processor: "cpu", region: "us-east-1"))
            == "2.1.0-transformers4.37.0-cpu-py310-ubuntu22.04")
        #expect(try tag(DLCSpec(repository: "huggingface-pytorch-inference", version: "4.51.3", region: "us-east-1"))
            == "2.6.0-transformers4.51.3-gpu-py312-cu124-ubuntu22.04")
    }

    @Test func commonSpellingsOfPartsAreAccepted() throws {
        #expect(try tag(DLCSpec(repository: "pytorch-training", version: "2.1", processor: "GPU", python: "3.10", cuda: "12.1", os: "20.04", region: "us-east-1"))
            == "2.1.0-gpu-py310-cu121-ubuntu20.04-sagemaker")
    }

    @Test func everyCatalogEntryRendersInEveryVariant() throws {
        let catalog = resolver.catalog
        var count = 0
        for repository in catalog.repositories.values {
            for (version, entry) in repository.versions {
                for (processor, choices) in entry.processors ?? [:] {
                    let variants = choices.variants ?? entry.variants ?? repository.variants
                    for variant in variants.isEmpty ? [nil] : variants.map(Optional.some) {
                        let image = try resolver.resolve(DLCSpec(
                            repository: repository.name, version: version, processor: processor, region: "us-east-1", variant: variant))
                        #expect(image.tag.hasPrefix(entry.base == nil ? version : (entry.base?.first ?? "")))
                        #expect(!image.tag.contains("--") && !image.tag.hasSuffix("-"), "\(image.tag)")
                        #expect(image.tag.contains("-\(processor)-"))
                        count += 1
                    }
                }
            }
        }
        #expect(count > 100)
    }
}
