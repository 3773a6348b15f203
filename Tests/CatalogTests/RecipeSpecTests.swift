import Testing
@testable import Catalog

@Suite("Recipe-shaped base image specs")
struct RecipeSpecTests {
    @Test func recipeFieldsResolveLikeTheCommandLine() throws {
        let resolver = DLCResolver(catalog: try Catalog.builtIn())
        let spec = try DLCSpec(fields: ["dlc": "pytorch-training", "version": "2.1", "region": "cn-northwest-1", "gpu": "true"])
        #expect(spec == DLCSpec(dlc: "pytorch-training", version: "2.1", region: "cn-northwest-1", gpu: true))
        let image = try resolver.resolve(spec)
        #expect(image.uri == "727897471807.dkr.ecr.cn-northwest-1.amazonaws.com.cn/pytorch-training:2.1.0-gpu-py310-cu121-ubuntu20.04-sagemaker")
        #expect(try resolver.resolve(dlc: "pytorch-training", version: "2.1", region: "cn-northwest-1", gpu: true) == image)
    }

    @Test func recipeFieldsCoverVariantEndpointAndTagForm() throws {
        let spec = try DLCSpec(fields: [
            "repository": "pytorch-training", "region": "us-east-1", "gpu": "no", "ec2": "yes", "endpoint": "fips", "tag": "short",
        ])
        #expect(spec.processor == "cpu")
        #expect(spec.variant == "ec2")
        #expect(spec.endpoint == .fips)
        #expect(spec.tagForm == .short)
    }

    @Test func missingOrContradictoryFieldsAreErrors() {
        #expect(throws: CatalogError.missingSpecField("region")) { try DLCSpec(fields: ["dlc": "pytorch-training"]) }
        #expect(throws: CatalogError.missingSpecField("dlc")) { try DLCSpec(fields: ["region": "us-east-1"]) }
        #expect(throws: CatalogError.self) {
            try DLCSpec(fields: ["dlc": "pytorch-training", "region": "us-east-1", "gpu": "true", "processor": "cpu"])
        }
        let error = #expect(throws: CatalogError.self) {
            try DLCSpec(fields: ["dlc": "pytorch-training", "region": "us-east-1", "gpu": "maybe"])
        }
        #expect(error == .invalidSpecValue(field: "gpu", value: "maybe", expected: "true or false"))
    }
}
