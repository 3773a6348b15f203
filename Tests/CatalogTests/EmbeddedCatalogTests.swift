import Foundation
import Testing
import TestSupport
@testable import Catalog

@Suite("The built-in catalog")
struct EmbeddedCatalogTests {
    @Test func embeddedCopyEqualsBaseImagesJsonByteForByte() throws {
        let file = Harness.packageRoot.appendingPathComponent("base-images.json")
        let onDisk = try Data(contentsOf: file)
        #expect(Data(EmbeddedCatalog.json.utf8) == onDisk, "Sources/Catalog/EmbeddedCatalog.swift is stale: run scripts/gen-catalog.sh")
    }

    @Test func builtInCatalogIsConsistent() throws {
        let catalog = try Catalog.builtIn()
        #expect(catalog.origin == "built-in")
        #expect(catalog.document.schema == "smimg.base-images/1")
        for name in ["pytorch-training", "pytorch-inference", "tensorflow-training", "tensorflow-inference",
                     "huggingface-pytorch-training", "huggingface-pytorch-inference", "huggingface-tensorflow-training",
                     "huggingface-tensorflow-inference", "pytorch-training-arm64", "pytorch-inference-arm64",
                     "pytorch-inference-graviton", "pytorch-training-neuronx", "pytorch-inference-neuronx"] {
            #expect(catalog.repositories[name] != nil, "\(name) is in the catalog")
        }
    }

    @Test func everyEntryNamesAKnownSource() throws {
        let catalog = try Catalog.builtIn()
        let sources = Set((catalog.document.sources ?? [:]).keys)
        for (name, entry) in catalog.document.regions ?? [:] {
            #expect(entry.source.map(sources.contains) == true, "region \(name) names a known source")
        }
        for (name, repository) in catalog.document.repositories ?? [:] {
            for (version, entry) in repository.versions ?? [:] {
                #expect(entry.source.map(sources.contains) == true, "\(name) \(version) names a known source")
            }
        }
    }
}
