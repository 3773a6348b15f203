import Foundation

/// The fixed modification time of reproducible builds (https://reproducible-builds.org/specs/source-date-epoch/).
public enum SourceDateEpoch {
    /// `SOURCE_DATE_EPOCH` from the environment, nil when unset or empty; throws when malformed.
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) throws -> Int64? {
        guard let text = environment["SOURCE_DATE_EPOCH"]?.trimmingCharacters(in: .whitespaces), !text.isEmpty else {
            return nil
        }
        guard let seconds = Int64(text), seconds >= 0 else { throw ArchiveError.invalidSourceDateEpoch(text) }
        return seconds
    }

    /// `SOURCE_DATE_EPOCH` when set, otherwise 0.
    public static func mtime(_ environment: [String: String] = ProcessInfo.processInfo.environment) throws -> Int64 {
        try fromEnvironment(environment) ?? 0
    }
}
