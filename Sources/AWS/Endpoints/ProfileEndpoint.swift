import Foundation

/// A profile's own API endpoint (`endpoint_url` in its section of `~/.aws/config`, as the SDKs
/// read it), so that each side of a copy can reach its own control plane: the global account's
/// ECR through one profile, the China account's through another.
///
/// The SDKs' order is kept: `AWS_ENDPOINT_URL_ECR`, then `AWS_ENDPOINT_URL`, then the profile's
/// `endpoint_url`, then the partition's default; `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true`
/// turns all of them off. The result is an environment for ``AWSEndpointResolver``.
public enum ProfileEndpoint {
    /// `environment` with the profile's `endpoint_url` as `AWS_ENDPOINT_URL`, when the
    /// environment sets no override of its own and the profile has one. A profile that cannot be
    /// read leaves the environment as it is (the credentials chain reports that error).
    public static func environment(profile explicit: String?, base environment: [String: String]) -> [String: String] {
        if environment["AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"]?.lowercased() == "true" { return environment }
        for variable in ["AWS_ENDPOINT_URL_ECR", "AWS_ENDPOINT_URL"] {
            if let value = environment[variable], !value.trimmingCharacters(in: .whitespaces).isEmpty { return environment }
        }
        guard let configuration = try? SharedConfiguration.load(environment: environment) else { return environment }
        let name = SharedConfiguration.profileName(explicit: explicit, environment: environment)
        guard let url = configuration.profile(named: name)?["endpoint_url"]?.trimmingCharacters(in: .whitespaces),
            !url.isEmpty
        else { return environment }
        var result = environment
        result["AWS_ENDPOINT_URL"] = url
        return result
    }
}
