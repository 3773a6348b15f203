import Foundation

/// The region the SDKs would use: `AWS_REGION`, then `AWS_DEFAULT_REGION`, then the profile's
/// `region` setting.
public enum RegionResolver {
    public static func resolve(
        profile explicitProfile: String? = nil, environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(CredentialsError) -> String? {
        for variable in ["AWS_REGION", "AWS_DEFAULT_REGION"] {
            if let value = environment[variable]?.trimmingCharacters(in: .whitespaces), !value.isEmpty {
                return value
            }
        }
        let name = SharedConfiguration.profileName(explicit: explicitProfile, environment: environment)
        return try SharedConfiguration.load(environment: environment).profile(named: name)?.region
    }
}
