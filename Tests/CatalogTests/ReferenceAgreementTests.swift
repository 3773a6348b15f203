import Foundation
import Testing
@testable import Catalog

@Suite("base-images.json agrees with shared/reference")
struct ReferenceAgreementTests {
    let reference: ReferenceData
    let catalog: Catalog

    init() throws {
        reference = try ReferenceData.load()
        catalog = try Catalog.builtIn()
    }

    @Test func everyReferenceRegionResolvesToItsAccountAndDomain() throws {
        #expect(reference.accounts.count >= 38)
        let resolver = DLCResolver(catalog: catalog)
        for (region, account) in reference.accounts.sorted(by: { $0.key < $1.key }) {
            let partition = try #require(reference.partition(of: region), "\(region) is not in partitions.json")
            let image = try resolver.resolve(DLCSpec(repository: "pytorch-training", version: "2.8", region: region))
            let host = "\(account).dkr.ecr.\(region).\(partition.partition.dnsSuffix)"
            #expect(image.account == account, "account of \(region)")
            #expect(image.registryHost == host, "registry host of \(region)")
            #expect(image.dnsSuffix == partition.partition.dnsSuffix, "DNS suffix of \(region)")
            #expect(image.partition == partition.name, "partition of \(region)")
            #expect(image.uri == "\(host)/pytorch-training:2.8.0-gpu-py312-cu129-ubuntu22.04-sagemaker", "URI in \(region)")
        }
    }

    @Test func chinaRegionsUseTheChinaAccountAndDomain() throws {
        let resolver = DLCResolver(catalog: catalog)
        for region in ["cn-north-1", "cn-northwest-1"] {
            let image = try resolver.resolve(dlc: "pytorch-training", version: "2.1", region: region, gpu: true, python: "py310")
            #expect(image.uri == "727897471807.dkr.ecr.\(region).amazonaws.com.cn/pytorch-training:2.1.0-gpu-py310-cu121-ubuntu20.04-sagemaker")
        }
    }

    @Test func everyPartitionRegionIsInTheCatalogWithItsPartitionAndSuffix() throws {
        var referenceRegions = Set<String>()
        for (name, partition) in reference.partitions {
            for region in partition.regions.keys {
                referenceRegions.insert(region)
                let entry = try #require(catalog.regions[region], "\(region) (\(name)) missing from base-images.json")
                #expect(entry.partition.name == name, "partition of \(region)")
                #expect(entry.dnsSuffix == partition.dnsSuffix, "DNS suffix of \(region)")
                #expect(entry.displayName == partition.regions[region], "name of \(region)")
            }
        }
        #expect(Set(catalog.regionNames) == referenceRegions, "the catalog lists exactly the reference regions")
    }

    @Test func registryHostPatternsMatchTheReferencePerPartition() throws {
        let placeholders = ["account": "{account}", "region": "{region}"]
        for (name, expected) in reference.partitions {
            let partition = try #require(catalog.partitions[name], "partition \(name) missing")
            let values = placeholders.merging(["dnsSuffix": partition.dnsSuffix]) { a, _ in a }
            #expect(try partition.registryHost.render(values) == expected.ecr_registry_host, "\(name) host")
            #expect(try partition.fipsRegistryHost?.render(values) == expected.ecr_registry_host_fips, "\(name) FIPS host")
            #expect(partition.fipsRegions == Set(expected.ecr_registry_fips_regions), "\(name) FIPS regions")
        }
        #expect(Set(catalog.partitions.keys) == Set(reference.partitions.keys))
    }

    @Test func everyCatalogAccountComesFromTheReference() throws {
        for (name, region) in catalog.regions {
            guard let account = region.dlcAccount else {
                #expect(reference.accounts[name] == nil && reference.extraAccounts[name] == nil, "\(name) lost its account")
                continue
            }
            let expected = reference.accounts[name] ?? reference.extraAccounts[name]
            #expect(account == expected, "account of \(name)")
        }
        for (name, account) in reference.extraAccounts {
            #expect(catalog.regions[name]?.dlcAccount == account, "extra account of \(name)")
        }
    }

    @Test func huggingFaceRegionGapsMatchTheNotes() throws {
        let training = try #require(reference.huggingFaceGaps.first { $0.key.hasPrefix("huggingface-pytorch-training 4.26.0+") }?.value)
        let inference = try #require(reference.huggingFaceGaps.first { $0.key.hasPrefix("huggingface-pytorch-inference") }?.value)
        #expect(try catalog.repository("huggingface-pytorch-training").regionsNotListed == Set(training))
        #expect(try catalog.repository("huggingface-pytorch-inference").regionsNotListed == Set(inference))

        let image = try DLCResolver(catalog: catalog).resolve(DLCSpec(repository: "huggingface-pytorch-training", region: "mx-central-1"))
        #expect(image.notes.contains { $0.contains("does not list huggingface-pytorch-training in mx-central-1") })
    }
}
