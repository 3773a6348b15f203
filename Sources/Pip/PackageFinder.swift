import Fetch
import Foundation
import OCI
import Python

/// Gets wheel files into the build's store: the builder's content-addressed artifact store.
public protocol WheelStore: Sendable {
    /// The local path of the file at `url`, downloaded (and checked against `sha256` when given)
    /// unless already stored; and its SHA-256.
    func wheel(url: String, sha256: String?) async throws -> (path: String, sha256: String)
}

/// A wheel an index offers for a project, with its parsed name.
public struct WheelCandidate: Sendable, Hashable {
    public var link: IndexLink
    public var wheel: WheelFilename
    public var version: PythonVersion { wheel.version }
}

/// Finds a project's wheels the way pip's finder does: the index (`{index}/{name}/`, PEP 691
/// JSON preferred, PEP 503 HTML understood), every extra index, and the find-links pages
/// (any HTML page of links, as `pip -f`), all merged. Pages are fetched once per build.
public final class PackageFinder: @unchecked Sendable {
    public let indexURLs: [String]
    public let findLinks: [String]
    let fetcher: Fetcher
    private let lock = NSLock()
    private var pages: [String: [IndexLink]] = [:]
    /// Every file name seen per project, sdists included, for error messages.
    private var seen: [String: [String]] = [:]

    /// Wheels in local find-links directories.
    let localLinks: [IndexLink]

    /// `findLinks` are pages (http(s):// or file:// HTML); `localDirectories` are directories
    /// of wheels on the build host.
    public init(indexURLs: [String], findLinks: [String], localDirectories: [String] = [], fetcher: Fetcher) {
        self.indexURLs = indexURLs.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 }
        self.findLinks = findLinks
        self.fetcher = fetcher
        localLinks = localDirectories.flatMap { directory in
            ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).sorted().map { name in
                IndexLink(
                    filename: name, url: URL(fileURLWithPath: directory + "/" + name).absoluteString, sha256: nil, requiresPython: nil,
                    yanked: false, hasMetadata: false, metadataSHA256: nil)
            }
        }
    }

    /// The project's wheels, any version and tag, from every source.
    public func candidates(for name: String) async throws -> [WheelCandidate] {
        let project = ProjectName.normalize(name)
        var links: [IndexLink] = localLinks
        for index in indexURLs {
            links += try await page(index + "/" + project + "/", missingIsEmpty: true)
        }
        for page in findLinks {
            links += try await self.page(page, missingIsEmpty: false)
        }
        let mine = links.filter { link in
            if let wheel = link.wheel { return wheel.normalizedName == project }
            return ProjectName.normalize(String(link.filename.prefix { $0 != "-" })) == project
                || link.filename.lowercased().hasPrefix(project + "-")
        }
        lock.withLock { seen[project] = mine.map(\.filename) }
        var unique: [String: WheelCandidate] = [:]
        for link in mine {
            guard let wheel = link.wheel, unique[link.filename] == nil else { continue }
            unique[link.filename] = WheelCandidate(link: link, wheel: wheel)
        }
        return unique.values.sorted { $0.link.filename < $1.link.filename }
    }

    /// File names offered for the project (wheels and sdists), after `candidates(for:)`.
    public func offered(for name: String) -> [String] {
        lock.withLock { seen[ProjectName.normalize(name)] ?? [] }
    }

    private func page(_ url: String, missingIsEmpty: Bool) async throws -> [IndexLink] {
        if let cached = lock.withLock({ pages[url] }) { return cached }
        let links: [IndexLink]
        do {
            let document = try await fetcher.get(url, accept: IndexPage.accept, limit: 256 << 20)
            links = try IndexPage.links(in: document.body, contentType: document.contentType, pageURL: document.url)
        } catch FetchError.status(_, 404) where missingIsEmpty {
            links = []
        }
        lock.withLock { pages[url] = links }
        return links
    }

    /// The wheel's core metadata: the PEP 658 file when the index offers one (hash-checked),
    /// else `METADATA` from the wheel itself (downloaded into the store).
    public func metadata(of candidate: WheelCandidate, store: any WheelStore) async throws -> CoreMetadata {
        let link = candidate.link
        if link.hasMetadata, let document = try? await fetcher.get(link.metadataURL, accept: nil, limit: 64 << 20) {
            if let expected = link.metadataSHA256, DigestHasher.digest(of: document.body).hex != expected {
                throw PipError.badIndex(url: link.metadataURL, reason: "the metadata file's sha256 differs from the index's; the index is inconsistent")
            }
            do {
                return try CoreMetadata(String(decoding: document.body, as: UTF8.self))
            } catch {
                throw PipError.badIndex(url: link.metadataURL, reason: "\(error)")
            }
        }
        let local = try await store.wheel(url: link.url, sha256: link.sha256)
        return try WheelArchive(path: local.path, filename: link.filename).metadata
    }
}
