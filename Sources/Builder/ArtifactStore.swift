import Fetch
import Foundation
import OCI

/// A wheel or conda package in the content store.
public struct StoredArtifact: Sendable, Hashable {
    public var path: String
    /// Lowercase hex.
    public var sha256: String
    /// Lowercase hex.
    public var md5: String
    public var size: Int64
}

/// Artifacts (wheels, conda packages) live next to blobs, content-addressed by SHA-256:
/// `artifacts/sha256/<hex>`, with `artifacts/urls/<sha256 of the URL>.json` remembering what a
/// URL gave (for packages pinned by MD5 only, or not at all). A rebuild finds everything here
/// and downloads nothing.
extension ContentStore {
    var artifactDirectory: String { root + "/artifacts" }

    public func artifactPath(sha256: String) -> String { artifactDirectory + "/sha256/" + sha256.lowercased() }

    private func urlRecordPath(_ url: String) -> String {
        artifactDirectory + "/urls/" + DigestHasher.digest(of: Array(url.utf8)).hex + ".json"
    }

    /// The artifact's local path: from the store when present (by SHA-256, or by URL when only
    /// the URL or an MD5 is known), else downloaded and verified against the pins.
    public func fetchArtifact(url: String, sha256: String?, md5: String?, using fetcher: Fetcher) async throws -> StoredArtifact {
        if let known = storedArtifact(url: url, sha256: sha256?.lowercased(), md5: md5?.lowercased()) { return known }
        try FileManager.default.createDirectory(atPath: artifactDirectory + "/sha256", withIntermediateDirectories: true)
        let staging = artifactDirectory + "/.download-" + DigestHasher.digest(of: Array(url.utf8)).hex
        let file = try await fetcher.download(url, to: staging, expecting: ExpectedDigests(sha256: sha256, md5: md5))
        let destination = artifactPath(sha256: file.sha256)
        guard rename(staging, destination) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(staging)
            throw BuildError.storeFailed(path: destination, reason: reason)
        }
        let artifact = StoredArtifact(path: destination, sha256: file.sha256, md5: file.md5, size: file.size)
        try rememberURL(url, artifact: artifact)
        return artifact
    }

    /// What the store already holds for these pins, if anything.
    func storedArtifact(url: String, sha256: String?, md5: String?) -> StoredArtifact? {
        var record: URLRecord?
        if let data = FileManager.default.contents(atPath: urlRecordPath(url)) {
            record = try? JSONDecoder().decode(URLRecord.self, from: data)
        }
        guard let hash = sha256 ?? record?.sha256 else { return nil }
        if let record, record.sha256 == hash {
            if let md5, md5 != record.md5 { return nil }
        } else if md5 != nil {
            // An MD5 pin can only be checked against a recorded download.
            return nil
        }
        let path = artifactPath(sha256: hash)
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
              let size = (attributes[.size] as? NSNumber)?.int64Value
        else { return nil }
        if let record, record.size != size { return nil }
        return StoredArtifact(path: path, sha256: hash, md5: record?.md5 ?? "", size: size)
    }

    private func rememberURL(_ url: String, artifact: StoredArtifact) throws {
        let directory = artifactDirectory + "/urls"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = try encoder.encode(URLRecord(url: url, sha256: artifact.sha256, md5: artifact.md5, size: artifact.size))
        let temporary = directory + "/.tmp-" + UUID().uuidString
        guard FileManager.default.createFile(atPath: temporary, contents: data), rename(temporary, urlRecordPath(url)) == 0 else {
            unlink(temporary)
            throw BuildError.storeFailed(path: urlRecordPath(url), reason: "cannot write the URL record")
        }
    }

    private struct URLRecord: Codable {
        var url: String
        var sha256: String
        var md5: String
        var size: Int64
    }
}
