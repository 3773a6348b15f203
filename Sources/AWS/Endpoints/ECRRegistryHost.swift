/// An Amazon ECR registry host name, `{account}.dkr.ecr.{region}.{dnsSuffix}`, and its FIPS
/// (`dkr.ecr-fips`) and dual-stack (`dkr-ecr[-fips].{region}.{dual-stack domain}`) forms, in
/// every partition.
public struct ECRRegistryHost: Sendable, Hashable, CustomStringConvertible {
    public enum Variant: String, Sendable, Hashable, CaseIterable {
        case standard, fips, dualStack, dualStackFIPS
    }

    /// The 12-digit AWS account id that owns the registry.
    public var account: String
    public var region: String
    public var variant: Variant

    public init(account: String, region: String, variant: Variant = .standard) {
        self.account = account
        self.region = region
        self.variant = variant
    }

    public var partition: Partition { Partition.forRegion(region) }

    /// Parses a registry host (a `:port` suffix is ignored; letters may be in any case).
    /// Returns nil for anything that is not an ECR registry host of a known partition.
    public init?(parsing host: String) {
        var name = host.lowercased()
        if let colon = name.lastIndex(of: ":"), name[name.index(after: colon)...].allSatisfy(\.isNumber) {
            name = String(name[..<colon])
        }
        let labels = name.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard labels.count >= 4, Self.isAccountId(labels[0]) else { return nil }
        let account = labels[0]

        let region: String
        let variant: Variant
        let domain: String
        switch (labels[1], labels[2]) {
        case ("dkr", "ecr"), ("dkr", "ecr-fips"):
            guard labels.count >= 5 else { return nil }
            variant = labels[2] == "ecr" ? .standard : .fips
            region = labels[3]
            domain = labels[4...].joined(separator: ".")
        case ("dkr-ecr", _), ("dkr-ecr-fips", _):
            variant = labels[1] == "dkr-ecr" ? .dualStack : .dualStackFIPS
            region = labels[2]
            domain = labels[3...].joined(separator: ".")
        default:
            return nil
        }
        guard Self.isRegionName(region) else { return nil }
        let partition = Partition.forRegion(region)
        guard partition.contains(region: region) else { return nil }
        switch variant {
        case .standard:
            guard domain == partition.dnsSuffix else { return nil }
        case .fips:
            guard partition.hasFIPSRegistryHosts, domain == partition.dnsSuffix else { return nil }
        case .dualStack:
            guard domain == partition.dualStackRegistryDomain else { return nil }
        case .dualStackFIPS:
            guard partition.hasDualStackFIPSRegistryHosts, domain == partition.dualStackRegistryDomain else {
                return nil
            }
        }
        self.init(account: account, region: region, variant: variant)
    }

    /// The host name. A variant the partition does not offer is written in the standard form.
    public var host: String {
        let partition = partition
        switch variant {
        case .fips where partition.hasFIPSRegistryHosts:
            return "\(account).dkr.ecr-fips.\(region).\(partition.dnsSuffix)"
        case .dualStack:
            if let domain = partition.dualStackRegistryDomain { return "\(account).dkr-ecr.\(region).\(domain)" }
        case .dualStackFIPS where partition.hasDualStackFIPSRegistryHosts:
            if let domain = partition.dualStackRegistryDomain { return "\(account).dkr-ecr-fips.\(region).\(domain)" }
        default:
            break
        }
        return "\(account).dkr.ecr.\(region).\(partition.dnsSuffix)"
    }

    public var description: String { host }

    static func isAccountId(_ text: String) -> Bool {
        text.utf8.count == 12 && text.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
    }

    static func isRegionName(_ text: String) -> Bool {
        !text.isEmpty
            && text.utf8.allSatisfy {
                ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == UInt8(ascii: "-")
            }
    }
}
