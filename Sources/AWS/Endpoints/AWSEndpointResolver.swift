import Foundation

/// Resolves service endpoints: the standard per-service override variables first
/// (`AWS_ENDPOINT_URL_ECR`, `AWS_ENDPOINT_URL_STS`), then the global `AWS_ENDPOINT_URL`, then
/// the partition's default for the region. `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true` turns
/// the overrides off, as in the SDKs.
public struct AWSEndpointResolver: Sendable {
    public var environment: [String: String]

    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.environment = environment
    }

    /// The ECR API endpoint for a region.
    public func ecrEndpoint(region: String) throws(EndpointError) -> URL {
        if let url = try override(serviceVariable: "AWS_ENDPOINT_URL_ECR") { return url }
        guard let url = Partition.forRegion(region).ecrAPIEndpoint(region: region) else {
            throw .invalidRegion(region)
        }
        return url
    }

    /// The STS endpoint for a region.
    public func stsEndpoint(region: String) throws(EndpointError) -> URL {
        if let url = try override(serviceVariable: "AWS_ENDPOINT_URL_STS") { return url }
        guard let url = Partition.forRegion(region).stsEndpoint(region: region) else {
            throw .invalidRegion(region)
        }
        return url
    }

    /// The configured override for a service (or the global one), if any.
    public func override(serviceVariable: String) throws(EndpointError) -> URL? {
        if environment["AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"]?.lowercased() == "true" { return nil }
        for variable in [serviceVariable, "AWS_ENDPOINT_URL"] {
            guard let value = environment[variable]?.trimmingCharacters(in: .whitespaces), !value.isEmpty else {
                continue
            }
            guard let url = URL(string: value), let scheme = url.scheme?.lowercased(),
                scheme == "http" || scheme == "https", url.host != nil
            else {
                throw .invalidOverride(variable: variable, value: value)
            }
            return url
        }
        return nil
    }
}

public enum EndpointError: Error, CustomStringConvertible, Equatable {
    case invalidOverride(variable: String, value: String)
    case invalidRegion(String)

    public var description: String {
        switch self {
        case .invalidOverride(let variable, let value):
            return "\(variable)=\(value) is not an endpoint URL: set it to http(s)://host[:port], or unset it"
        case .invalidRegion(let region):
            return "'\(region)' is not an AWS region name (like us-east-1 or cn-northwest-1): check --region, AWS_REGION or the profile's region"
        }
    }
}
