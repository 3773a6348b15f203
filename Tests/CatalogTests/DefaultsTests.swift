import Testing
@testable import Catalog

@Suite("Parts left out get the catalog's defaults")
struct DefaultsTests {
    let resolver: DLCResolver

    init() throws {
        resolver = DLCResolver(catalog: try Catalog.builtIn())
    }

    @Test func majorMinorPicksTheNewestPatchRelease() throws {
        #expect(try resolver.resolve(DLCSpec(repository: "pytorch-training", version: "2.1", region: "us-east-1")).version == "2.1.0")
        #expect(try resolver.resolve(DLCSpec(repository: "pytorch-training", version: "2.0", region: "us-east-1")).version == "2.0.1")
        #expect(try resolver.resolve(DLCSpec(repository: "huggingface-pytorch-training", version: "4.56", region: "us-east-1")).version == "4.56.2")
    }

    @Test func noVersionMeansTheNewestListed() throws {
        let image = try resolver.resolve(DLCSpec(repository: "pytorch-training", region: "us-east-1"))
        #expect(image.version == "2.9.0")
        #expect(image.version == (try resolver.catalog.repository("pytorch-training").versionNames.first))
    }

    @Test func versionAndProcessorDetermineDefaultPythonCudaAndOs() throws {
        let gpu = try resolver.resolve(DLCSpec(repository: "pytorch-training", version: "2.3", region: "eu-west-1"))
        #expect(gpu.processor == "gpu")
        #expect(gpu.python == "py311")
        #expect(gpu.cuda == "cu121")
        #expect(gpu.os == "ubuntu20.04")
        #expect(gpu.variant == "sagemaker")

        let cpu = try resolver.resolve(DLCSpec(repository: "pytorch-training", version: "2.3", processor: "cpu", region: "eu-west-1"))
        #expect(cpu.cuda == nil)
        #expect(cpu.tag == "2.3.0-cpu-py311-ubuntu20.04-sagemaker")
    }

    @Test func huggingFaceVersionPicksItsBaseFrameworkVersion() throws {
        let image = try resolver.resolve(DLCSpec(repository: "huggingface-pytorch-training", version: "4.56.2", region: "us-east-1"))
        #expect(image.baseVersion == "2.8.0")
        #expect(image.tag == "2.8.0-transformers4.56.2-gpu-py312-cu129-ubuntu22.04")
        #expect(image.variant == nil)
    }

    @Test func repositoriesWithoutSageMakerImagesDefaultToEc2() throws {
        let arm = try resolver.resolve(DLCSpec(repository: "pytorch-training-arm64", region: "us-east-1"))
        #expect(arm.tag == "2.7.0-gpu-py312-cu128-ubuntu22.04-ec2")
        let graviton = try resolver.resolve(DLCSpec(repository: "pytorch-inference-graviton", version: "2.4", processor: "gpu", region: "us-east-1"))
        #expect(graviton.tag == "2.4.0-gpu-py311-cu124-ubuntu22.04-ec2")
    }

    @Test func onlyProcessorDefaultsToIt() throws {
        let image = try resolver.resolve(DLCSpec(repository: "pytorch-inference-graviton", version: "2.1", region: "us-east-1"))
        #expect(image.tag == "2.1.0-cpu-py310-ubuntu20.04-sagemaker")
    }

    @Test func cudaOnACpuImageIsRejected() throws {
        let error = #expect(throws: CatalogError.self) {
            try resolver.resolve(DLCSpec(repository: "pytorch-training", version: "2.1", processor: "cpu", cuda: "cu121", region: "us-east-1"))
        }
        #expect(error?.description.contains("have no cuda part") == true)
    }

    @Test func unlistedPythonListsTheListedOnes() throws {
        let error = #expect(throws: CatalogError.self) {
            try resolver.resolve(DLCSpec(repository: "pytorch-training", version: "2.1", python: "py39", region: "us-east-1"))
        }
        #expect(error == .unknownPart(part: "python", value: "py39", image: "pytorch-training 2.1.0 gpu", available: ["py310"]))
    }

    @Test func unknownVersionListsTheKnownVersionsNewestFirst() throws {
        let error = #expect(throws: CatalogError.self) {
            try resolver.resolve(DLCSpec(repository: "pytorch-training", version: "3.7", region: "us-east-1"))
        }
        guard case .unknownVersion(_, let version, let known) = error else {
            Issue.record("expected unknownVersion, got \(String(describing: error))")
            return
        }
        #expect(version == "3.7")
        #expect(known.first == "2.9.0")
        #expect(known.contains("2.1.0") && known.contains("1.13.1"))
        #expect(error?.description.contains("known versions: 2.9.0, 2.8.0, 2.7.1") == true)
    }

    @Test func variantsAHuggingFaceTagDoesNotHaveAreRejected() throws {
        let error = #expect(throws: CatalogError.self) {
            try resolver.resolve(DLCSpec(repository: "huggingface-pytorch-training", region: "us-east-1", variant: "ec2"))
        }
        #expect(error?.description.contains("carry no platform suffix") == true)
    }

    @Test func sageMakerVariantOfAnEc2OnlyImageIsRejected() throws {
        let error = #expect(throws: CatalogError.self) {
            try resolver.resolve(DLCSpec(repository: "pytorch-inference-arm64", version: "2.6", processor: "gpu", region: "us-east-1", variant: "sagemaker"))
        }
        #expect(error == .unknownVariant(variant: "sagemaker", image: "pytorch-inference-arm64 2.6.0 gpu", available: ["ec2"]))
    }

    @Test func fipsEndpointExistsOnlyWhereThePartitionHasIt() throws {
        let fips = try resolver.resolve(DLCSpec(repository: "pytorch-training", region: "us-gov-west-1", endpoint: .fips))
        #expect(fips.registryHost == "442386744353.dkr.ecr-fips.us-gov-west-1.amazonaws.com")
        let error = #expect(throws: CatalogError.self) {
            try resolver.resolve(DLCSpec(repository: "pytorch-training", region: "cn-north-1", endpoint: .fips))
        }
        #expect(error?.description.contains("partition aws-cn has no FIPS registry endpoint") == true)
        let dualStack = try resolver.resolve(DLCSpec(repository: "pytorch-training", region: "cn-north-1", endpoint: .dualStack))
        #expect(dualStack.registryHost == "727897471807.dkr-ecr.cn-north-1.on.amazonwebservices.com.cn")
    }

    @Test func isolatedRegionWithoutAnAccountSaysSo() throws {
        let error = #expect(throws: CatalogError.self) {
            try resolver.resolve(DLCSpec(repository: "pytorch-training", region: "us-iso-west-1"))
        }
        #expect(error == .noRegistryAccount(region: "us-iso-west-1", partition: "aws-iso"))
        let limited = try resolver.resolve(DLCSpec(repository: "pytorch-training", version: "2.1", region: "us-iso-east-1"))
        #expect(limited.uri.hasPrefix("886529160074.dkr.ecr.us-iso-east-1.c2s.ic.gov/"))
        #expect(limited.notes.contains { $0.hasPrefix("us-iso-east-1: Isolated region") })
    }
}
