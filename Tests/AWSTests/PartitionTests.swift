import Foundation
import Testing
import TestSupport

@testable import AWS

struct PartitionTests {
    @Test("regions map to their partition and DNS suffix", arguments: [
        ("us-east-1", "aws", "amazonaws.com"),
        ("eu-central-2", "aws", "amazonaws.com"),
        ("cn-north-1", "aws-cn", "amazonaws.com.cn"),
        ("cn-northwest-1", "aws-cn", "amazonaws.com.cn"),
        ("us-gov-west-1", "aws-us-gov", "amazonaws.com"),
        ("us-iso-east-1", "aws-iso", "c2s.ic.gov"),
        ("us-isob-east-1", "aws-iso-b", "sc2s.sgov.gov"),
        ("eu-isoe-west-1", "aws-iso-e", "cloud.adc-e.uk"),
        ("us-isof-south-1", "aws-iso-f", "csp.hci.ic.gov"),
        ("eusc-de-east-1", "aws-eusc", "amazonaws.eu"),
        // Not yet listed: matched by the partition's region pattern.
        ("cn-south-7", "aws-cn", "amazonaws.com.cn"),
        ("us-gov-central-3", "aws-us-gov", "amazonaws.com"),
        ("ap-southeast-9", "aws", "amazonaws.com"),
    ])
    func regionResolvesToPartition(region: String, partition: String, suffix: String) {
        #expect(Partition.forRegion(region).id == partition)
        #expect(Partition.forRegion(region).dnsSuffix == suffix)
    }

    @Test("ECR API and STS endpoints use the partition's suffix")
    func endpointsUsePartitionSuffix() {
        #expect(Partition.forRegion("cn-northwest-1").ecrAPIEndpoint(region: "cn-northwest-1")?.absoluteString
            == "https://api.ecr.cn-northwest-1.amazonaws.com.cn")
        #expect(Partition.forRegion("us-east-1").ecrAPIEndpoint(region: "us-east-1")?.absoluteString
            == "https://api.ecr.us-east-1.amazonaws.com")
        #expect(Partition.forRegion("cn-north-1").stsEndpoint(region: "cn-north-1")?.absoluteString
            == "https://sts.cn-north-1.amazonaws.com.cn")
        #expect(Partition.forRegion("us-gov-west-1").stsEndpoint(region: "us-gov-west-1")?.absoluteString
            == "https://sts.us-gov-west-1.amazonaws.com")
        #expect(Partition.aws.ecrAPIEndpoint(region: "us east 1") == nil)
    }

    @Test("ECR registry hosts parse into account, region and partition", arguments: [
        ("123456789012.dkr.ecr.us-east-1.amazonaws.com", "123456789012", "us-east-1", "aws", ECRRegistryHost.Variant.standard),
        ("123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn", "123456789012", "cn-north-1", "aws-cn", .standard),
        ("727897471807.dkr.ecr.cn-northwest-1.amazonaws.com.cn", "727897471807", "cn-northwest-1", "aws-cn", .standard),
        ("123456789012.dkr.ecr-fips.us-gov-west-1.amazonaws.com", "123456789012", "us-gov-west-1", "aws-us-gov", .fips),
        ("123456789012.dkr.ecr-fips.us-east-2.amazonaws.com", "123456789012", "us-east-2", "aws", .fips),
        ("123456789012.dkr-ecr.eu-west-1.on.aws", "123456789012", "eu-west-1", "aws", .dualStack),
        ("123456789012.dkr-ecr-fips.us-west-2.on.aws", "123456789012", "us-west-2", "aws", .dualStackFIPS),
        ("123456789012.dkr-ecr.cn-north-1.on.amazonwebservices.com.cn", "123456789012", "cn-north-1", "aws-cn", .dualStack),
        ("123456789012.DKR.ECR.US-WEST-2.AMAZONAWS.COM:443", "123456789012", "us-west-2", "aws", .standard),
        ("123456789012.dkr.ecr.us-isob-east-1.sc2s.sgov.gov", "123456789012", "us-isob-east-1", "aws-iso-b", .standard),
    ])
    func registryHostParses(host: String, account: String, region: String, partition: String, variant: ECRRegistryHost.Variant) throws {
        let parsed = try #require(ECRRegistryHost(parsing: host))
        #expect(parsed.account == account)
        #expect(parsed.region == region)
        #expect(parsed.partition.id == partition)
        #expect(parsed.variant == variant)
        #expect(parsed.host == host.lowercased().replacingOccurrences(of: ":443", with: ""))
    }

    @Test("hosts that are not ECR registries are rejected", arguments: [
        "registry-1.docker.io", "127.0.0.1:5000", "public.ecr.aws", "ghcr.io",
        "12345678901.dkr.ecr.us-east-1.amazonaws.com",  // 11 digits
        "123456789012.dkr.ecr.cn-north-1.amazonaws.com",  // China region, global suffix
        "123456789012.dkr.ecr.us-east-1.amazonaws.com.cn",  // global region, China suffix
        "123456789012.dkr.ecr-fips.cn-north-1.amazonaws.com.cn",  // no FIPS in China
        "123456789012.dkr-ecr-fips.cn-north-1.on.amazonwebservices.com.cn",
        "123456789012.dkr.ecr.us-east-1.amazonaws.com.evil.example",
        "123456789012.dkr.ecr..amazonaws.com",
    ])
    func nonECRHostIsRejected(host: String) {
        #expect(ECRRegistryHost(parsing: host) == nil)
    }

    @Test("a registry host formats back to the standard form")
    func registryHostFormats() {
        #expect(ECRRegistryHost(account: "123456789012", region: "cn-northwest-1").host
            == "123456789012.dkr.ecr.cn-northwest-1.amazonaws.com.cn")
        #expect(ECRRegistryHost(account: "123456789012", region: "us-gov-east-1", variant: .fips).host
            == "123456789012.dkr.ecr-fips.us-gov-east-1.amazonaws.com")
        // China has no FIPS registry hosts: the standard form is written.
        #expect(ECRRegistryHost(account: "123456789012", region: "cn-north-1", variant: .fips).host
            == "123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn")
    }
}

/// The Swift partition table agrees with `shared/reference/partitions.json` for every partition,
/// region and registry host pattern.
struct PartitionReferenceTests {
    struct Reference: Decodable {
        var partitions: [String: Entry]
        struct Entry: Decodable {
            var dnsSuffix: String
            var dualStackDnsSuffix: String
            var regionRegex: String
            var regions: [String: String]
            var ecr_registry_host: String
            var ecr_registry_host_fips: String?
            var ecr_registry_fips_regions: [String]
            var ecr_registry_host_dualstack: String?
            var ecr_registry_host_dualstack_fips: String?
            var ecr_api_regions_in_botocore: [String]
        }
    }

    static var referenceURL: URL {
        Harness.packageRoot.deletingLastPathComponent().appendingPathComponent("shared/reference/partitions.json")
    }

    static func load() throws -> Reference {
        guard FileManager.default.fileExists(atPath: referenceURL.path) else {
            throw ReferenceError.missing(referenceURL.path)
        }
        return try JSONDecoder().decode(Reference.self, from: Data(contentsOf: referenceURL))
    }

    enum ReferenceError: Error, CustomStringConvertible {
        case missing(String)
        var description: String {
            switch self {
            case .missing(let path):
                return "the partition reference \(path) is missing: the shared/ directory must sit beside the clone (as in CI)"
            }
        }
    }

    /// `{account}.dkr-ecr.{region}.amazonwebservices.eu (as written in a code comment only; unverified)` → the template.
    static func template(_ text: String?) -> String? {
        guard let text else { return nil }
        return text.components(separatedBy: " (").first
    }

    @Test("every partition of the reference is in the table with the same suffixes and region pattern")
    func partitionsMatchReference() throws {
        let reference = try Self.load()
        #expect(Set(reference.partitions.keys) == Set(Partition.all.map(\.id)))
        for (id, entry) in reference.partitions {
            let partition = try #require(Partition.all.first { $0.id == id }, "partition \(id) missing from the table")
            #expect(partition.dnsSuffix == entry.dnsSuffix, "\(id)")
            #expect(partition.dualStackDNSSuffix == entry.dualStackDnsSuffix, "\(id)")
            #expect(partition.regionPattern == entry.regionRegex, "\(id)")
            #expect(Set(partition.regions) == Set(entry.regions.keys), "\(id) regions")
            #expect(Set(partition.regions) == Set(entry.ecr_api_regions_in_botocore), "\(id) ECR API regions")
            #expect(Set(partition.fipsRegistryRegions) == Set(entry.ecr_registry_fips_regions), "\(id) FIPS regions")
        }
    }

    @Test("every region resolves to its reference partition, ECR endpoint and registry hosts")
    func regionsAndHostsMatchReference() throws {
        let reference = try Self.load()
        let account = "123456789012"
        for (id, entry) in reference.partitions {
            for region in entry.regions.keys {
                let partition = Partition.forRegion(region)
                #expect(partition.id == id, "\(region)")
                #expect(partition.matchesPattern(region), "\(region) should match \(entry.regionRegex)")
                #expect(partition.ecrAPIEndpoint(region: region)?.absoluteString == "https://api.ecr.\(region).\(entry.dnsSuffix)")

                let templates: [(String?, ECRRegistryHost.Variant, Bool)] = [
                    (entry.ecr_registry_host, .standard, true),
                    (entry.ecr_registry_host_fips, .fips, entry.ecr_registry_fips_regions.contains(region)),
                    (Self.template(entry.ecr_registry_host_dualstack), .dualStack, true),
                    (Self.template(entry.ecr_registry_host_dualstack_fips), .dualStackFIPS, true),
                ]
                for (template, variant, applies) in templates {
                    guard let template, applies else { continue }
                    let host = template.replacingOccurrences(of: "{account}", with: account)
                        .replacingOccurrences(of: "{region}", with: region)
                    let parsed = ECRRegistryHost(parsing: host)
                    #expect(parsed == ECRRegistryHost(account: account, region: region, variant: variant), "\(host)")
                    #expect(parsed?.host == host)
                    #expect(parsed?.partition.id == id)
                }
            }
        }
    }

    @Test("the table's registry host templates are the reference's")
    func hostTemplatesMatchReference() throws {
        let reference = try Self.load()
        for (id, entry) in reference.partitions {
            let partition = try #require(Partition.all.first { $0.id == id })
            #expect(partition.registryHostTemplate == entry.ecr_registry_host, "\(id)")
            #expect(partition.fipsRegistryHostTemplate == entry.ecr_registry_host_fips, "\(id)")
            #expect(partition.dualStackRegistryHostTemplate == Self.template(entry.ecr_registry_host_dualstack), "\(id)")
            #expect(partition.dualStackFIPSRegistryHostTemplate == Self.template(entry.ecr_registry_host_dualstack_fips), "\(id)")
        }
    }
}
