/// An AWS partition as the catalog knows it: the DNS suffix of its regions and the formulas of
/// the ECR registry hosts in it.
public struct CatalogPartition: Sendable, Hashable {
    public let name: String
    public let dnsSuffix: String
    public let registryHost: TagTemplate
    public let fipsRegistryHost: TagTemplate?
    /// Regions with a FIPS registry endpoint; empty with a FIPS host means every region.
    public let fipsRegions: Set<String>
    public let dualStackRegistryHost: TagTemplate?
    public let dualStackFipsRegistryHost: TagTemplate?

    public init(
        name: String, dnsSuffix: String, registryHost: TagTemplate, fipsRegistryHost: TagTemplate? = nil,
        fipsRegions: Set<String> = [], dualStackRegistryHost: TagTemplate? = nil,
        dualStackFipsRegistryHost: TagTemplate? = nil
    ) {
        self.name = name
        self.dnsSuffix = dnsSuffix
        self.registryHost = registryHost
        self.fipsRegistryHost = fipsRegistryHost
        self.fipsRegions = fipsRegions
        self.dualStackRegistryHost = dualStackRegistryHost
        self.dualStackFipsRegistryHost = dualStackFipsRegistryHost
    }

    /// The host formula for an endpoint kind in a region, or why there is none.
    func hostTemplate(for endpoint: RegistryEndpoint, region: String) -> Result<TagTemplate, EndpointUnavailable> {
        switch endpoint {
        case .standard:
            return .success(registryHost)
        case .fips:
            guard let fipsRegistryHost else { return .failure(.init(reason: "partition \(name) has no FIPS registry endpoint")) }
            guard fipsRegions.isEmpty || fipsRegions.contains(region) else {
                return .failure(.init(reason: "FIPS registry endpoints exist only in \(fipsRegions.sorted().joined(separator: ", "))"))
            }
            return .success(fipsRegistryHost)
        case .dualStack:
            guard let dualStackRegistryHost else { return .failure(.init(reason: "partition \(name) has no known dual-stack registry endpoint")) }
            return .success(dualStackRegistryHost)
        case .dualStackFips:
            guard let dualStackFipsRegistryHost else { return .failure(.init(reason: "partition \(name) has no dual-stack FIPS registry endpoint")) }
            guard fipsRegions.isEmpty || fipsRegions.contains(region) else {
                return .failure(.init(reason: "FIPS registry endpoints exist only in \(fipsRegions.sorted().joined(separator: ", "))"))
            }
            return .success(dualStackFipsRegistryHost)
        }
    }

    struct EndpointUnavailable: Error {
        let reason: String
    }
}
