import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import OCI

/// The registry HTTP API v2 (OCI distribution spec): manifests, blobs, uploads, tags.
public struct RegistryClient: Sendable {
    public let transport: RegistryTransport
    /// Registries limit manifests to 4 MiB; anything larger is refused.
    static let manifestLimit = 4 << 20

    public init(transport: RegistryTransport) {
        self.transport = transport
    }

    // MARK: Manifests

    /// Fetches a manifest by tag or digest, verifying its digest against the reference's digest
    /// or the registry's `Docker-Content-Digest`.
    public func manifest(_ reference: ImageReference) async throws -> Manifest {
        var headers = HTTPHeaders()
        headers.add(name: "Accept", value: MediaType.acceptedManifests.joined(separator: ", "))
        let response = try await transport.send(
            RegistryRequest(
                method: .GET, target: "/v2/\(reference.repository)/manifests/\(reference.identifier)",
                headers: headers, scopes: [Scope.pull(reference.repository)], operation: "manifest fetch"),
            registry: reference.registry)
        let body = try await ResponseBody.collect(response.response, limit: Self.manifestLimit, operation: "manifest fetch", registry: reference.registry)
        switch response.status {
        case 200: break
        case 404: throw RegistryError.manifestNotFound(reference)
        default:
            throw RegistryError.unexpectedStatus(
                operation: "manifest fetch of \(reference)", registry: reference.registry,
                status: Int(response.status), detail: RegistryErrorBody.summary(of: body))
        }
        let manifest: Manifest
        do {
            manifest = try Manifest(bytes: body, mediaType: Self.mediaType(response.header("Content-Type")))
        } catch {
            throw RegistryError.protocolViolation(registry: reference.registry, detail: "manifest of \(reference): \(error)")
        }
        if let expected = reference.digest {
            try manifest.verify(against: expected)
        } else if let announced = response.header("Docker-Content-Digest").flatMap({ try? Digest(parsing: $0) }) {
            try manifest.verify(against: announced)
        }
        return manifest
    }

    /// Uploads a manifest under a tag or, with `tag` nil, under its digest. Everything it
    /// references must already be in the repository.
    public func putManifest(_ manifest: Manifest, repository: ImageReference, tag: String?) async throws {
        let target = tag ?? manifest.digest.description
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: manifest.mediaType)
        let response = try await transport.send(
            RegistryRequest(
                method: .PUT, target: "/v2/\(repository.repository)/manifests/\(target)", headers: headers,
                body: .bytes(manifest.bytes), scopes: [Scope.push(repository.repository)], operation: "manifest upload"),
            registry: repository.registry)
        let body = try await ResponseBody.collect(response.response, limit: 1 << 20, operation: "manifest upload", registry: repository.registry)
        guard response.status == 201 || response.status == 200 else {
            throw RegistryError.unexpectedStatus(
                operation: "manifest upload to \(repository.name):\(target)", registry: repository.registry,
                status: Int(response.status), detail: RegistryErrorBody.summary(of: body))
        }
        if let announced = response.header("Docker-Content-Digest"), announced != manifest.digest.description {
            throw RegistryError.protocolViolation(
                registry: repository.registry,
                detail: "stored the manifest under digest \(announced), expected \(manifest.digest)")
        }
    }

    // MARK: Blobs

    public func blobExists(_ repository: ImageReference, digest: Digest) async throws -> Bool {
        let response = try await transport.send(
            RegistryRequest(
                method: .HEAD, target: "/v2/\(repository.repository)/blobs/\(digest)",
                scopes: [Scope.pull(repository.repository)], followRedirects: true, operation: "blob check"),
            registry: repository.registry)
        await ResponseBody.discard(response.response)
        switch response.status {
        case 200: return true
        case 404: return false
        default:
            throw RegistryError.unexpectedStatus(
                operation: "blob check of \(digest)", registry: repository.registry, status: Int(response.status), detail: "")
        }
    }

    /// Streams a blob. A connection lost mid-way is resumed with a `Range` request from the
    /// last byte received; the caller verifies the digest of what arrives.
    public func blob(_ repository: ImageReference, descriptor: Descriptor) async throws -> ByteChunks {
        let download = ResumableDownload(client: self, repository: repository, descriptor: descriptor)
        try await download.open()
        return ByteChunks(unfolding: { try await download.next() })
    }

    func openBlob(_ repository: ImageReference, digest: Digest, from offset: Int64) async throws -> RegistryTransport.Response {
        var headers = HTTPHeaders()
        if offset > 0 { headers.add(name: "Range", value: "bytes=\(offset)-") }
        let response = try await transport.send(
            RegistryRequest(
                method: .GET, target: "/v2/\(repository.repository)/blobs/\(digest)", headers: headers,
                scopes: [Scope.pull(repository.repository)], followRedirects: true, operation: "blob download"),
            registry: repository.registry)
        switch response.status {
        case 200, 206:
            return response
        case 404:
            await ResponseBody.discard(response.response)
            throw RegistryError.blobNotFound(registry: repository.registry, repository: repository.repository, digest: digest)
        default:
            let body = try await ResponseBody.collect(response.response, limit: 64 << 10, operation: "blob download", registry: repository.registry)
            throw RegistryError.unexpectedStatus(
                operation: "download of blob \(digest)", registry: repository.registry,
                status: Int(response.status), detail: RegistryErrorBody.summary(of: body))
        }
    }

    /// Uploads a blob in one request (POST for a session, then PUT with the whole body), the
    /// form every registry accepts, ECR included. Each call opens a new upload session.
    public func uploadBlob(_ repository: ImageReference, descriptor: Descriptor, chunks: ByteChunks) async throws {
        let location = try await startUpload(repository)
        let separator = location.contains("?") ? "&" : "?"
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: "application/octet-stream")
        do {
            let response = try await transport.send(
                RegistryRequest(
                    method: .PUT, target: "\(location)\(separator)digest=\(descriptor.digest)", headers: headers,
                    body: .stream(chunks, length: descriptor.size), scopes: [Scope.push(repository.repository)],
                    operation: "blob upload"),
                registry: repository.registry)
            let body = try await ResponseBody.collect(response.response, limit: 64 << 10, operation: "blob upload", registry: repository.registry)
            guard response.status == 201 || response.status == 204 else {
                throw RegistryError.unexpectedStatus(
                    operation: "upload of blob \(descriptor.digest)", registry: repository.registry,
                    status: Int(response.status), detail: RegistryErrorBody.summary(of: body))
            }
            if let announced = response.header("Docker-Content-Digest"), announced != descriptor.digest.description {
                throw RegistryError.protocolViolation(
                    registry: repository.registry, detail: "stored blob as \(announced), expected \(descriptor.digest)")
            }
        } catch {
            await cancelUpload(location, repository: repository)
            throw error
        }
    }

    /// Asks the registry to link a blob from another repository of the same registry.
    /// Returns false when it could not (the registry then offers an upload, which is cancelled).
    public func mountBlob(_ repository: ImageReference, digest: Digest, from source: String) async throws -> Bool {
        let response = try await transport.send(
            RegistryRequest(
                method: .POST, target: "/v2/\(repository.repository)/blobs/uploads/?mount=\(digest)&from=\(source)",
                scopes: [Scope.push(repository.repository), Scope.pull(source)], operation: "blob mount"),
            registry: repository.registry)
        await ResponseBody.discard(response.response)
        if response.status == 201 { return true }
        if response.status == 202, let location = response.header("Location"),
           let absolute = RegistryTransport.resolve(location, against: response.url) {
            await cancelUpload(absolute, repository: repository)
        }
        return false
    }

    private func startUpload(_ repository: ImageReference) async throws -> String {
        let response = try await transport.send(
            RegistryRequest(
                method: .POST, target: "/v2/\(repository.repository)/blobs/uploads/",
                scopes: [Scope.push(repository.repository)], operation: "upload start"),
            registry: repository.registry)
        let body = try await ResponseBody.collect(response.response, limit: 64 << 10, operation: "upload start", registry: repository.registry)
        guard response.status == 202 else {
            throw RegistryError.unexpectedStatus(
                operation: "upload start in \(repository.name)", registry: repository.registry,
                status: Int(response.status), detail: RegistryErrorBody.summary(of: body))
        }
        guard let location = response.header("Location"),
              let absolute = RegistryTransport.resolve(location, against: response.url)
        else {
            throw RegistryError.protocolViolation(registry: repository.registry, detail: "upload session without a Location")
        }
        return absolute
    }

    private func cancelUpload(_ location: String, repository: ImageReference) async {
        _ = try? await transport.send(
            RegistryRequest(method: .DELETE, target: location, scopes: [Scope.push(repository.repository)], operation: "upload cancel"),
            registry: repository.registry)
    }

    // MARK: Tags

    /// All tags of a repository, following `Link` pagination.
    public func tags(_ repository: ImageReference) async throws -> [String] {
        var target: String? = "/v2/\(repository.repository)/tags/list?n=1000"
        var tags: [String] = []
        var pages = 0
        while let current = target, pages < 10_000 {
            pages += 1
            let response = try await transport.send(
                RegistryRequest(method: .GET, target: current, scopes: [Scope.pull(repository.repository)], operation: "tag list"),
                registry: repository.registry)
            let body = try await ResponseBody.collect(response.response, limit: 16 << 20, operation: "tag list", registry: repository.registry)
            switch response.status {
            case 200: break
            case 404: throw RegistryError.repositoryNotFound(registry: repository.registry, repository: repository.repository)
            default:
                throw RegistryError.unexpectedStatus(
                    operation: "tag list of \(repository.name)", registry: repository.registry,
                    status: Int(response.status), detail: RegistryErrorBody.summary(of: body))
            }
            struct Page: Decodable { var tags: [String]? }
            guard let page = try? JSONDecoder().decode(Page.self, from: Data(body)) else {
                throw RegistryError.protocolViolation(registry: repository.registry, detail: "tag list is not valid JSON")
            }
            tags += page.tags ?? []
            target = response.header("Link").flatMap { Self.nextLink($0) }.flatMap {
                RegistryTransport.resolve($0, against: response.url)
            }
        }
        return tags
    }

    /// The URL in `<url>; rel="next"`.
    static func nextLink(_ header: String) -> String? {
        for part in header.split(separator: ",") {
            let pieces = part.split(separator: ";").map { trimSpaces($0) }
            guard let first = pieces.first, first.hasPrefix("<"), first.hasSuffix(">"),
                  pieces.dropFirst().contains(where: { $0.replacingOccurrences(of: " ", with: "") == "rel=\"next\"" || $0 == "rel=next" })
            else { continue }
            return String(first.dropFirst().dropLast())
        }
        return nil
    }

    static func mediaType(_ contentType: String?) -> String? {
        guard let contentType else { return nil }
        return contentType.split(separator: ";").first.map { trimSpaces($0) }
    }
}
