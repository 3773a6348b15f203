import Catalog
import Foundation
import OCI
import Testing
import TestSupport
@testable import Recipe

@Suite("Example recipes in recipes/")
struct ExampleRecipeTests {
    @Test func everyExampleRecipeLoads() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: RecipeText.examples.path)
            .filter { $0.hasSuffix(".yml") }.sorted()
        #expect(names == ["local-hello.yml", "pytorch-dlc-training.yml", "sagemaker-processing.yml", "studio-custom-image.yml"])
        for name in names {
            let path = RecipeText.examples.appendingPathComponent(name).path
            #expect(throws: Never.self, "\(name)") { try Recipe.load(path: path) }
        }
    }

    @Test func localHelloBuildsFromScratchWithFilesNextToIt() throws {
        let recipe = try Recipe.load(path: RecipeText.examples.appendingPathComponent("local-hello.yml").path)
        #expect(recipe.base == .scratch)
        #expect(recipe.images.map(\.description) == ["docker.io/smimg/hello:1.0"])
        #expect(recipe.platform == Platform(os: "linux", architecture: "amd64"))
        #expect(recipe.steps.map(\.step.kind) == [.copy, .env, .labels, .workdir, .entrypoint])
        #expect(recipe.steps.map(\.writesLayer) == [true, false, false, false, false])
        guard case .copy(let copy) = recipe.steps[0].step else {
            Issue.record("first step is not a copy")
            return
        }
        #expect(copy.sources.map(\.written) == ["hello"])
        #expect(copy.sources.map(\.absolute) == [RecipeText.examples.appendingPathComponent("hello").path])
        #expect(copy.destination == "/hello")
        #expect(copy.destinationIsDirectory)
        #expect(recipe.steps[0].title == "Add the greeting")
        #expect(recipe.steps[4].step == .entrypoint(CommandStep(form: .exec(["/hello/hello.sh"]))))
    }

    @Test func pytorchExampleResolvesThroughTheCatalogToTheRegionsDLCAccount() throws {
        let recipe = try Recipe.load(path: RecipeText.examples.appendingPathComponent("pytorch-dlc-training.yml").path)
        guard case .dlc(let dlc) = recipe.base else {
            Issue.record("base is not a DLC spec: \(recipe.base)")
            return
        }
        #expect(dlc.spec == DLCSpec(
            repository: "pytorch-training", version: "2.1", processor: "gpu", python: "py310", cuda: "cu118",
            region: "us-east-1"))
        let resolved = try recipe.resolveBase(using: DLCResolver(catalog: .builtIn()))
        guard case .registry(let reference, let image) = resolved else {
            Issue.record("not resolved to a registry image: \(resolved)")
            return
        }
        #expect(reference.description
            == "763104351884.dkr.ecr.us-east-1.amazonaws.com/pytorch-training:2.1.0-gpu-py310-cu118-ubuntu20.04-sagemaker")
        #expect(image?.account == "763104351884")

        let pipSteps = recipe.steps.compactMap { step -> PipStep? in
            if case .pip(let pip) = step.step { return pip }
            return nil
        }
        #expect(pipSteps.count == 2)
        #expect(pipSteps.first?.uninstall.map(\.normalized) == ["torch", "torchvision"])
        #expect(pipSteps.first?.extraIndexURLs == ["https://download.pytorch.org/whl/cu118"])
        #expect(pipSteps.last?.findLinks == [.url("https://data.pyg.org/whl/torch-2.1.0+cu118.html")])
        let conda = recipe.steps.compactMap { step -> CondaStep? in
            if case .conda(let conda) = step.step { return conda }
            return nil
        }.first
        #expect(conda?.channels == [.name("pytorch"), .name("conda-forge")])
        #expect(conda?.install.map(\.description) == ["faiss-gpu=1.7.4"])
        #expect(recipe.steps.last?.step == .entrypoint(CommandStep(form: .exec(["python", "/opt/ml/code/train.py"]))))
    }

    @Test func dlcBaseInAChinaRegionResolvesToTheChinaAccount() throws {
        let recipe = try RecipeText.parse("""
            image: app:1
            base: {dlc: pytorch-training, version: 2.1, region: cn-northwest-1, gpu: true}
            """)
        let resolved = try recipe.resolveBase(using: DLCResolver(catalog: .builtIn()))
        #expect(resolved.description
            == "727897471807.dkr.ecr.cn-northwest-1.amazonaws.com.cn/pytorch-training:2.1.0-gpu-py310-cu121-ubuntu20.04-sagemaker")
    }

    @Test func dlcFieldsAreCheckedWhenTheRecipeIsRead() {
        #expect(RecipeText.problems("image: app:1\nbase: {dlc: pytorch-training, region: us-east-1, gpu: maybe, cuda: 12.1, flavor: x}\n") == [
            "recipe.yml:2:55: base.gpu: expected true or false, got \"maybe\"",
            "recipe.yml:2:74: base.flavor: unknown key; valid keys: dlc, repository, version, region, gpu, processor, python, cuda, os, sdk, base, variant, ec2, endpoint, tag",
        ])
    }

    @Test func catalogErrorsPointAtTheFieldThatCausedThem() throws {
        let recipe = try RecipeText.parse("""
            image: app:1
            base:
              dlc: pytorch-training
              version: "9.9"
              region: us-east-1
            """)
        let error = #expect(throws: RecipeError.self) {
            try recipe.resolveBase(using: DLCResolver(catalog: .builtIn()))
        }
        #expect(error?.location == SourceLocation(file: "recipe.yml", line: 4, column: 12, field: "base.version"))
        #expect(error?.description.hasPrefix("recipe.yml:4:12: base.version: pytorch-training has no version '9.9' in the catalog; known versions: 2.9.0") == true)

        let unknownRegion = try RecipeText.parse("image: app:1\nbase: {dlc: pytorch-training, region: us-esat-1}")
        let regionError = #expect(throws: RecipeError.self) {
            try unknownRegion.resolveBase(using: DLCResolver(catalog: .builtIn()))
        }
        #expect(regionError?.location == SourceLocation(file: "recipe.yml", line: 2, column: 39, field: "base.region"))
        #expect(regionError?.message.contains("us-east-1") == true)
    }
}
