/// Which ECR registry host serves the image: the standard one, FIPS, or dual-stack (IPv6).
public enum RegistryEndpoint: String, Codable, Sendable, CaseIterable {
    case standard
    case fips
    case dualStack = "dual-stack"
    case dualStackFips = "dual-stack-fips"
}
