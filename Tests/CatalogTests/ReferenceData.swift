import Foundation
import TestSupport

/// The reference facts in `shared/reference/` beside the repository clone (dlc-accounts.json,
/// dlc-accounts-notes.json, partitions.json, README.md), which base-images.json must agree with.
struct ReferenceData {
    struct Partition: Decodable {
        let dnsSuffix: String
        let regions: [String: String]
        let ecr_registry_host: String
        let ecr_registry_host_fips: String?
        let ecr_registry_fips_regions: [String]
    }

    struct Partitions: Decodable {
        let partitions: [String: Partition]
    }

    let directory: URL
    let accounts: [String: String]
    let partitions: [String: Partition]
    /// `extra_regions_not_in_newest_pytorch_map` of the notes, without its `_` keys.
    let extraAccounts: [String: String]
    /// `huggingface_region_gaps_vs_pytorch` of the notes, without its `_` keys.
    let huggingFaceGaps: [String: [String]]
    let readme: String

    static var directory: URL {
        Harness.packageRoot.deletingLastPathComponent().appendingPathComponent("shared/reference")
    }

    static func load() throws -> ReferenceData {
        let directory = Self.directory
        guard FileManager.default.fileExists(atPath: directory.appendingPathComponent("dlc-accounts.json").path) else {
            throw ReferenceDataMissing(directory: directory.path)
        }
        func data(_ name: String) throws -> Data { try Data(contentsOf: directory.appendingPathComponent(name)) }

        let accounts = try JSONDecoder().decode([String: String].self, from: data("dlc-accounts.json"))
        let partitions = try JSONDecoder().decode(Partitions.self, from: data("partitions.json")).partitions
        let notes = try JSONSerialization.jsonObject(with: data("dlc-accounts-notes.json")) as? [String: Any] ?? [:]
        let extra = (notes["extra_regions_not_in_newest_pytorch_map"] as? [String: Any] ?? [:])
            .filter { !$0.key.hasPrefix("_") }
            .compactMapValues { $0 as? String }
        let gaps = (notes["huggingface_region_gaps_vs_pytorch"] as? [String: Any] ?? [:])
            .filter { !$0.key.hasPrefix("_") }
            .compactMapValues { $0 as? [String] }
        let readme = String(decoding: try Data(contentsOf: directory.deletingLastPathComponent().appendingPathComponent("README.md")), as: UTF8.self)
        return ReferenceData(
            directory: directory, accounts: accounts, partitions: partitions, extraAccounts: extra,
            huggingFaceGaps: gaps, readme: readme)
    }

    /// The partition a region belongs to in partitions.json.
    func partition(of region: String) -> (name: String, partition: Partition)? {
        for (name, partition) in partitions where partition.regions[region] != nil {
            return (name, partition)
        }
        return nil
    }
}

struct ReferenceDataMissing: Error, CustomStringConvertible {
    let directory: String
    var description: String {
        "reference data not found at \(directory): CatalogTests compare base-images.json with the facts in shared/reference/, which must sit beside the repository clone (../shared/reference/dlc-accounts.json, partitions.json, dlc-accounts-notes.json)"
    }
}
