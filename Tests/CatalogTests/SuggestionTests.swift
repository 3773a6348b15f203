import Testing
@testable import Catalog

@Suite("Errors suggest the nearest valid names")
struct SuggestionTests {
    let resolver: DLCResolver

    init() throws {
        resolver = DLCResolver(catalog: try Catalog.builtIn())
    }

    func failure(_ spec: DLCSpec) -> CatalogError? {
        #expect(throws: CatalogError.self) { try resolver.resolve(spec) }
    }

    @Test func mistypedRegionSuggestsTheRealOne() {
        let error = failure(DLCSpec(repository: "pytorch-training", region: "cn-northwest1"))
        #expect(error?.description.contains("unknown region 'cn-northwest1' (did you mean cn-northwest-1?);") == true, "\(String(describing: error))")
        let other = failure(DLCSpec(repository: "pytorch-training", region: "eu-centrl-1"))
        guard case .unknownRegion(_, let suggestions) = other else {
            Issue.record("expected unknownRegion, got \(String(describing: other))")
            return
        }
        #expect(suggestions.first == "eu-central-1")
    }

    @Test func mistypedRepositorySuggestsTheRealOne() {
        let error = failure(DLCSpec(repository: "pytorch-trainng", region: "us-east-1"))
        #expect(error?.description.contains("did you mean pytorch-training?") == true)
        let prefix = failure(DLCSpec(repository: "huggingface-pytorch-train", region: "us-east-1"))
        guard case .unknownRepository(_, let suggestions, _) = prefix else {
            Issue.record("expected unknownRepository, got \(String(describing: prefix))")
            return
        }
        #expect(suggestions.contains("huggingface-pytorch-training"))
    }

    @Test func unrelatedRepositoryNameListsTheKnownOnes() {
        let error = failure(DLCSpec(repository: "xgboost", region: "us-east-1"))
        #expect(error?.description.contains("known repositories: huggingface-pytorch-inference,") == true)
        #expect(error?.description.contains("pytorch-training") == true)
    }

    @Test func unknownProcessorListsTheAvailableOnes() {
        let error = failure(DLCSpec(repository: "huggingface-pytorch-training", processor: "cpu", region: "us-east-1"))
        #expect(error == .unknownProcessor(repository: "huggingface-pytorch-training", version: "5.3.0", processor: "cpu", available: ["gpu"]))
    }

    @Test func mistypedRecipeFieldSuggestsTheRealOne() {
        let error = #expect(throws: CatalogError.self) {
            try DLCSpec(fields: ["dlc": "pytorch-training", "regoin": "us-east-1"])
        }
        #expect(error?.description.contains("unknown base image field 'regoin' (did you mean region?)") == true)
    }

    @Test func editDistanceCountsInsertionsDeletionsAndSubstitutions() {
        #expect(Levenshtein.distance("kitten", "sitting") == 3)
        #expect(Levenshtein.distance("", "abc") == 3)
        #expect(Levenshtein.distance("us-east-1", "us-east-1") == 0)
        #expect(NameSuggestions.nearest(to: "us-east-3", in: ["us-east-1", "us-east-2", "eu-west-3", "ap-south-1"]) == ["us-east-1", "us-east-2"])
    }
}

@Suite("nearby tags")
struct NearbyTagsTests {
    @Test("tags sharing the version and processor come before other versions")
    func sameVersionFirst() {
        let tags = [
            "2.0.1-gpu-py310-cu118-ubuntu20.04-sagemaker", "2.1.0-gpu-py310-cu118-ubuntu20.04-sagemaker",
            "2.1.0-cpu-py310-ubuntu20.04-sagemaker", "latest",
        ]
        #expect(NearbyTags.nearest(to: "2.1.0-gpu-py310-cu121-ubuntu20.04-sagemaker", in: tags, limit: 3) == [
            "2.1.0-gpu-py310-cu118-ubuntu20.04-sagemaker", "2.1.0-cpu-py310-ubuntu20.04-sagemaker",
            "2.0.1-gpu-py310-cu118-ubuntu20.04-sagemaker",
        ])
        #expect(NearbyTags.nearest(to: "x", in: [], limit: 3).isEmpty)
    }
}
