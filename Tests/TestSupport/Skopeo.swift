import Foundation
import OCI

/// The independent client used to check what smimg wrote.
public enum Skopeo {
    /// `skopeo inspect --raw` of a registry image (plain HTTP allowed).
    public static func rawManifest(_ reference: String, extra: [String] = []) async throws -> String {
        try await Command.check(["skopeo", "inspect", "--raw", "--tls-verify=false"] + extra + ["docker://\(reference)"]).stdout
    }

    /// The sha256 digest of the manifest bytes a reference names.
    public static func manifestDigest(_ location: String, extra: [String] = []) async throws -> String {
        let result = try await Command.check(["skopeo", "inspect", "--raw", "--tls-verify=false"] + extra + [location])
        return sha256(Data(result.stdout.utf8))
    }

    /// Whether the registry has a tag (skopeo's tag list).
    public static func hasTag(_ repository: String, _ tag: String, extra: [String] = []) async throws -> Bool {
        let result = try await Command.run(["skopeo", "list-tags", "--tls-verify=false"] + extra + ["docker://\(repository)"])
        guard result.status == 0 else { return false }
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        return (object?["Tags"] as? [String] ?? []).contains(tag)
    }

    public static func sha256(_ data: Data) -> String {
        DigestHasher.digest(of: Array(data)).description
    }
}
