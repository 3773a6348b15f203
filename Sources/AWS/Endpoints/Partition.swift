import Foundation

/// An AWS partition: a group of regions sharing a DNS suffix and a separate identity space
/// (credentials from one partition never work in another).
///
/// The table is the project's own copy of botocore's partition data plus the ECR registry
/// host forms from the AWS General Reference; a test checks it against
/// `shared/reference/partitions.json`.
public struct Partition: Sendable, Hashable, CustomStringConvertible {
    /// `aws`, `aws-cn`, `aws-us-gov`, `aws-iso`, `aws-iso-b`, `aws-iso-e`, `aws-iso-f`, `aws-eusc`.
    public let id: String
    /// `amazonaws.com`, `amazonaws.com.cn`, …
    public let dnsSuffix: String
    /// The suffix of dual-stack service endpoints (`api.aws`, …).
    public let dualStackDNSSuffix: String
    /// botocore's `regionRegex`: regions not yet in `regions` that belong to this partition.
    public let regionPattern: String
    /// The regions known when the table was written.
    public let regions: [String]
    /// Whether `{account}.dkr.ecr-fips.{region}.{dnsSuffix}` registry hosts exist.
    public let hasFIPSRegistryHosts: Bool
    /// Regions where AWS documents a FIPS registry host.
    public let fipsRegistryRegions: [String]
    /// The domain of dual-stack registry hosts, `{account}.dkr-ecr.{region}.{domain}`.
    public let dualStackRegistryDomain: String?
    /// Whether `{account}.dkr-ecr-fips.{region}.{domain}` registry hosts exist.
    public let hasDualStackFIPSRegistryHosts: Bool

    public var description: String { id }

    /// Every partition, in botocore's order (which is also the order regions are matched in).
    public static let all: [Partition] = [.aws, .awsCN, .awsUSGov, .awsISO, .awsISOB, .awsISOE, .awsISOF, .awsEUSC]

    /// The partition a region belongs to: a known region first, then the partitions' region
    /// patterns, and `aws` for anything else (what the SDKs do).
    public static func forRegion(_ region: String) -> Partition {
        if let known = all.first(where: { $0.regions.contains(region) }) { return known }
        if let matched = all.first(where: { $0.matchesPattern(region) }) { return matched }
        return .aws
    }

    /// True when `region` is listed or matches this partition's region pattern.
    public func contains(region: String) -> Bool {
        regions.contains(region) || matchesPattern(region)
    }

    func matchesPattern(_ region: String) -> Bool {
        guard let regex = try? Regex(regionPattern) else { return false }
        return region.firstMatch(of: regex) != nil
    }

    // MARK: Endpoints

    /// `https://api.ecr.{region}.{dnsSuffix}`: the ECR API (control plane) endpoint; nil when
    /// `region` is not a region name (lowercase letters, digits and dashes).
    public func ecrAPIEndpoint(region: String) -> URL? {
        guard ECRRegistryHost.isRegionName(region) else { return nil }
        return URL(string: "https://api.ecr.\(region).\(dnsSuffix)")
    }

    /// `https://sts.{region}.{dnsSuffix}`: the regional STS endpoint (the SDKs' default); nil
    /// when `region` is not a region name.
    public func stsEndpoint(region: String) -> URL? {
        guard ECRRegistryHost.isRegionName(region) else { return nil }
        return URL(string: "https://sts.\(region).\(dnsSuffix)")
    }

    // MARK: Registry host templates (as the reference file writes them)

    public var registryHostTemplate: String { "{account}.dkr.ecr.{region}.\(dnsSuffix)" }
    public var fipsRegistryHostTemplate: String? {
        hasFIPSRegistryHosts ? "{account}.dkr.ecr-fips.{region}.\(dnsSuffix)" : nil
    }
    public var dualStackRegistryHostTemplate: String? {
        dualStackRegistryDomain.map { "{account}.dkr-ecr.{region}.\($0)" }
    }
    public var dualStackFIPSRegistryHostTemplate: String? {
        guard hasDualStackFIPSRegistryHosts, let domain = dualStackRegistryDomain else { return nil }
        return "{account}.dkr-ecr-fips.{region}.\(domain)"
    }
}

extension Partition {
    public static let aws = Partition(
        id: "aws", dnsSuffix: "amazonaws.com", dualStackDNSSuffix: "api.aws",
        regionPattern: #"^(us|eu|ap|sa|ca|me|af|il|mx)\-\w+\-\d+$"#,
        regions: [
            "af-south-1", "ap-east-1", "ap-east-2", "ap-northeast-1", "ap-northeast-2", "ap-northeast-3",
            "ap-south-1", "ap-south-2", "ap-southeast-1", "ap-southeast-2", "ap-southeast-3", "ap-southeast-4",
            "ap-southeast-5", "ap-southeast-6", "ap-southeast-7", "ca-central-1", "ca-west-1", "eu-central-1",
            "eu-central-2", "eu-north-1", "eu-south-1", "eu-south-2", "eu-west-1", "eu-west-2", "eu-west-3",
            "il-central-1", "me-central-1", "me-south-1", "mx-central-1", "sa-east-1", "us-east-1", "us-east-2",
            "us-west-1", "us-west-2",
        ],
        hasFIPSRegistryHosts: true, fipsRegistryRegions: ["us-east-1", "us-east-2", "us-west-1", "us-west-2"],
        dualStackRegistryDomain: "on.aws", hasDualStackFIPSRegistryHosts: true)

    public static let awsCN = Partition(
        id: "aws-cn", dnsSuffix: "amazonaws.com.cn", dualStackDNSSuffix: "api.amazonwebservices.com.cn",
        regionPattern: #"^cn\-\w+\-\d+$"#,
        regions: ["cn-north-1", "cn-northwest-1"],
        hasFIPSRegistryHosts: false, fipsRegistryRegions: [],
        dualStackRegistryDomain: "on.amazonwebservices.com.cn", hasDualStackFIPSRegistryHosts: false)

    public static let awsUSGov = Partition(
        id: "aws-us-gov", dnsSuffix: "amazonaws.com", dualStackDNSSuffix: "api.aws",
        regionPattern: #"^us\-gov\-\w+\-\d+$"#,
        regions: ["us-gov-east-1", "us-gov-west-1"],
        hasFIPSRegistryHosts: true, fipsRegistryRegions: ["us-gov-east-1", "us-gov-west-1"],
        dualStackRegistryDomain: "on.aws", hasDualStackFIPSRegistryHosts: true)

    public static let awsISO = Partition(
        id: "aws-iso", dnsSuffix: "c2s.ic.gov", dualStackDNSSuffix: "api.aws.ic.gov",
        regionPattern: #"^us\-iso\-\w+\-\d+$"#,
        regions: ["us-iso-east-1", "us-iso-west-1"],
        hasFIPSRegistryHosts: false, fipsRegistryRegions: [],
        dualStackRegistryDomain: "on.aws.ic.gov", hasDualStackFIPSRegistryHosts: false)

    public static let awsISOB = Partition(
        id: "aws-iso-b", dnsSuffix: "sc2s.sgov.gov", dualStackDNSSuffix: "api.aws.scloud",
        regionPattern: #"^us\-isob\-\w+\-\d+$"#,
        regions: ["us-isob-east-1", "us-isob-west-1"],
        hasFIPSRegistryHosts: false, fipsRegistryRegions: [],
        dualStackRegistryDomain: "on.aws.scloud", hasDualStackFIPSRegistryHosts: false)

    public static let awsISOE = Partition(
        id: "aws-iso-e", dnsSuffix: "cloud.adc-e.uk", dualStackDNSSuffix: "api.cloud-aws.adc-e.uk",
        regionPattern: #"^eu\-isoe\-\w+\-\d+$"#,
        regions: ["eu-isoe-west-1"],
        hasFIPSRegistryHosts: false, fipsRegistryRegions: [],
        dualStackRegistryDomain: "on.cloud-aws.adc-e.uk", hasDualStackFIPSRegistryHosts: false)

    public static let awsISOF = Partition(
        id: "aws-iso-f", dnsSuffix: "csp.hci.ic.gov", dualStackDNSSuffix: "api.aws.hci.ic.gov",
        regionPattern: #"^us\-isof\-\w+\-\d+$"#,
        regions: ["us-isof-east-1", "us-isof-south-1"],
        hasFIPSRegistryHosts: false, fipsRegistryRegions: [],
        dualStackRegistryDomain: "on.aws.hci.ic.gov", hasDualStackFIPSRegistryHosts: false)

    /// AWS European Sovereign Cloud. Its dual-stack registry domain is known only from a code
    /// comment in the ECS agent (the reference marks it unverified); it is recognised when
    /// parsing but never produced unless asked for.
    public static let awsEUSC = Partition(
        id: "aws-eusc", dnsSuffix: "amazonaws.eu", dualStackDNSSuffix: "api.amazonwebservices.eu",
        regionPattern: #"^eusc\-(de)\-\w+\-\d+$"#,
        regions: ["eusc-de-east-1"],
        hasFIPSRegistryHosts: false, fipsRegistryRegions: [],
        dualStackRegistryDomain: "amazonwebservices.eu", hasDualStackFIPSRegistryHosts: false)
}
