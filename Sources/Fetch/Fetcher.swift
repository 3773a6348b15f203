import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOSSL

/// Fetches package indexes and artifacts (wheels, conda packages) over HTTP(S), or from
/// `file://` URLs, for the pip and conda steps.
///
/// - Small documents (`get`) come back whole, up to a limit; artifacts (`download`) stream to
///   disk, hashed on the way, and appear at their path only once complete and verified.
/// - Redirects are followed by hand so `Authorization` (from `user:password@` in the URL) is
///   only ever sent to the URL's own host.
/// - Connection failures, 429 and 5xx are retried with backoff; a download that breaks
///   resumes with `Range` from the last byte written.
/// - TLS is verified unless the host is listed in `FetchSettings.insecureHosts`.
///
/// Call `shutdown()` when done (or use `Fetcher.with`).
public final class Fetcher: Sendable {
    public let settings: FetchSettings
    private let verifiedClient: HTTPClient
    private let unverifiedClient: HTTPClient?
    static let maxRedirects = 10

    public init(settings: FetchSettings = FetchSettings()) {
        self.settings = settings
        var tls = TLSConfiguration.makeClientConfiguration()
        if let caFile = settings.caFile { tls.additionalTrustRoots = [.file(caFile)] }
        verifiedClient = HTTPClient(eventLoopGroupProvider: .singleton, configuration: Self.configuration(tls: tls))
        if settings.insecureHosts.isEmpty {
            unverifiedClient = nil
        } else {
            var insecure = TLSConfiguration.makeClientConfiguration()
            insecure.certificateVerification = .none
            unverifiedClient = HTTPClient(eventLoopGroupProvider: .singleton, configuration: Self.configuration(tls: insecure))
        }
    }

    /// Runs `body` with a fetcher and shuts it down afterwards, whatever happens.
    public static func with<T: Sendable>(
        settings: FetchSettings = FetchSettings(), _ body: (Fetcher) async throws -> T
    ) async throws -> T {
        let fetcher = Fetcher(settings: settings)
        do {
            let result = try await body(fetcher)
            await fetcher.shutdown()
            return result
        } catch {
            await fetcher.shutdown()
            throw error
        }
    }

    public func shutdown() async {
        try? await verifiedClient.shutdown()
        try? await unverifiedClient?.shutdown()
    }

    private static func configuration(tls: TLSConfiguration) -> HTTPClient.Configuration {
        HTTPClient.Configuration(
            tlsConfiguration: tls,
            redirectConfiguration: .disallow,
            // `read` is the longest silence tolerated while a body streams; no whole-transfer
            // deadline, since a multi-gigabyte package takes as long as it takes.
            timeout: .init(connect: .seconds(30), read: .seconds(300)),
            decompression: .disabled)
    }

    // MARK: documents

    /// A small document, whole. Throws `FetchError.tooLarge` beyond `limit` bytes.
    public func get(_ url: String, accept: String? = nil, limit: Int = 512 << 20) async throws -> FetchedDocument {
        do {
            return try await getDocument(url, accept: accept, limit: limit)
        } catch {
            throw FetchError.unwrap(error)
        }
    }

    private func getDocument(_ url: String, accept: String?, limit: Int) async throws -> FetchedDocument {
        let start = try FetchURL(url)
        if start.scheme == .file { return try readLocalDocument(start, limit: limit) }
        return try await withRetries(start) {
            let (response, final) = try await self.open(start, accept: accept, rangeStart: nil)
            var body: [UInt8] = []
            if let length = response.headers.first(name: "Content-Length").flatMap(Int.init), length > limit {
                throw FetchError.tooLarge(url: final.display, limit: limit)
            }
            do {
                for try await buffer in response.body {
                    guard body.count + buffer.readableBytes <= limit else { throw FetchError.tooLarge(url: final.display, limit: limit) }
                    body.append(contentsOf: buffer.readableBytesView)
                }
            } catch let error as FetchError {
                throw error
            } catch {
                throw FetchError.transport(url: final.display, reason: Self.describe(error))
            }
            return FetchedDocument(url: final.display, contentType: response.headers.first(name: "Content-Type"), body: body)
        }
    }

    private func readLocalDocument(_ url: FetchURL, limit: Int) throws -> FetchedDocument {
        let path = url.filePath ?? ""
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
              let size = attributes[.size] as? NSNumber
        else { throw FetchError.status(url: url.display, code: 404) }
        guard size.intValue <= limit else { throw FetchError.tooLarge(url: url.display, limit: limit) }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw FetchError.io(path: path, reason: "cannot be read")
        }
        let type = path.hasSuffix(".json") ? "application/json" : (path.hasSuffix(".html") ? "text/html" : nil)
        return FetchedDocument(url: url.display, contentType: type, body: [UInt8](data))
    }

    // MARK: downloads

    /// Streams `url` to `path` (see the type's documentation). An existing file at `path` is
    /// replaced only when the new one is complete and verified.
    public func download(_ url: String, to path: String, expecting expected: ExpectedDigests = ExpectedDigests()) async throws -> DownloadedFile {
        do {
            return try await downloadFile(url, to: path, expecting: expected)
        } catch {
            throw FetchError.unwrap(error)
        }
    }

    private func downloadFile(_ url: String, to path: String, expecting expected: ExpectedDigests) async throws -> DownloadedFile {
        let start = try FetchURL(url)
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty {
            try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        }
        let partial = path + ".partial-" + String(UInt64.random(in: 0...UInt64.max), radix: 36)
        let file = try PartialFile(path: partial)
        do {
            if start.scheme == .file {
                try copyLocal(start, into: file)
            } else {
                try await stream(start, into: file)
            }
            let (sha256, md5) = file.hashes.finalize()
            if let wanted = expected.sha256, wanted != sha256 {
                throw FetchError.hashMismatch(url: start.display, algorithm: "sha256", expected: wanted, actual: sha256)
            }
            if let wanted = expected.md5, wanted != md5 {
                throw FetchError.hashMismatch(url: start.display, algorithm: "md5", expected: wanted, actual: md5)
            }
            try file.commit(to: path)
            return DownloadedFile(path: path, sha256: sha256, md5: md5, size: file.hashes.count)
        } catch {
            file.discard()
            throw error
        }
    }

    private func copyLocal(_ url: FetchURL, into file: PartialFile) throws {
        let path = url.filePath ?? ""
        guard let input = FileHandle(forReadingAtPath: path) else { throw FetchError.status(url: url.display, code: 404) }
        defer { try? input.close() }
        while true {
            let chunk: Data
            do {
                guard let read = try input.read(upToCount: 1 << 20), !read.isEmpty else { break }
                chunk = read
            } catch {
                throw FetchError.io(path: path, reason: "\(error)")
            }
            try chunk.withUnsafeBytes { try file.write($0) }
        }
    }

    /// Streams the body into the file, resuming from the bytes already written after a broken
    /// connection (or starting over when the server ignores the range).
    private func stream(_ start: FetchURL, into file: PartialFile) async throws {
        var failures = 0
        while true {
            do {
                let offset = file.hashes.count
                let (response, final) = try await open(start, accept: nil, rangeStart: offset > 0 ? offset : nil)
                if offset > 0 && response.status != .partialContent {
                    try file.restart()
                }
                do {
                    for try await buffer in response.body {
                        try buffer.withUnsafeReadableBytes { try file.write($0) }
                    }
                } catch let error as FetchError {
                    throw error
                } catch {
                    throw FetchError.transport(url: final.display, reason: Self.describe(error))
                }
                if let length = response.headers.first(name: "Content-Length").flatMap(Int64.init),
                   file.hashes.count - (response.status == .partialContent ? offset : 0) < length {
                    throw FetchError.transport(url: final.display, reason: "the body ended after \(file.hashes.count) bytes")
                }
                return
            } catch {
                failures += 1
                guard Self.isTransient(error), failures < settings.maxAttempts, !Task.isCancelled else { throw error }
                try await Task.sleep(for: Self.backoff(failures, error: error))
            }
        }
    }

    // MARK: requests

    private func withRetries<T: Sendable>(_ url: FetchURL, _ operation: () async throws -> T) async throws -> T {
        var failures = 0
        while true {
            do {
                return try await operation()
            } catch {
                failures += 1
                guard Self.isTransient(error), failures < settings.maxAttempts, !Task.isCancelled else { throw error }
                try await Task.sleep(for: Self.backoff(failures, error: error))
            }
        }
    }

    /// Sends a GET, following redirects; returns a 2xx response (its body not yet read) and the
    /// URL that gave it. Error statuses throw `FetchError.status` (429 and 5xx are transient).
    private func open(_ start: FetchURL, accept: String?, rangeStart: Int64?) async throws -> (HTTPClientResponse, FetchURL) {
        var current = start
        for _ in 0...Self.maxRedirects {
            var request = HTTPClientRequest(url: current.address)
            request.method = .GET
            request.headers.add(name: "User-Agent", value: settings.userAgent)
            if let accept { request.headers.add(name: "Accept", value: accept) }
            if let rangeStart { request.headers.add(name: "Range", value: "bytes=\(rangeStart)-") }
            // Credentials belong to the host they were written for: a redirect elsewhere
            // goes without them.
            let credentials = current.userInfo != nil ? current : (current.authority == start.authority ? start : nil)
            if let authorization = credentials?.basicAuthorization {
                request.headers.add(name: "Authorization", value: authorization)
            }
            let client = settings.insecureHosts.contains(current.authority) || settings.insecureHosts.contains(current.host)
                ? (unverifiedClient ?? verifiedClient) : verifiedClient
            let response: HTTPClientResponse
            do {
                response = try await client.execute(request, timeout: .seconds(300))
            } catch {
                throw FetchError.transport(url: current.display, reason: Self.describe(error))
            }
            let code = Int(response.status.code)
            if [301, 302, 303, 307, 308].contains(code) {
                guard let location = response.headers.first(name: "Location") else {
                    throw FetchError.badRedirect(url: current.display, reason: "HTTP \(code) without a Location")
                }
                current = try current.resolving(location)
                guard current.scheme != .file else {
                    throw FetchError.badRedirect(url: start.display, reason: "a redirect to a file:// URL is refused")
                }
                continue
            }
            if code == 416, rangeStart != nil {
                // The range is past the end (e.g. the file changed): start over without it.
                return try await open(start, accept: accept, rangeStart: nil)
            }
            guard (200..<300).contains(code) else {
                throw StatusFailure(error: .status(url: current.display, code: code), retryAfter: Self.retryAfter(response.headers))
            }
            return (response, current)
        }
        throw FetchError.badRedirect(url: start.display, reason: "more than \(Self.maxRedirects) redirects")
    }

    /// A status error with the server's `Retry-After`, unwrapped by `backoff`.
    struct StatusFailure: Error {
        let error: FetchError
        let retryAfter: Duration?
    }

    static func isTransient(_ error: any Error) -> Bool {
        if error is CancellationError { return false }
        if let failure = error as? StatusFailure, case .status(_, let code) = failure.error {
            return code == 429 || code == 408 || code >= 500
        }
        if let error = error as? FetchError, case .transport = error { return true }
        return false
    }

    static func backoff(_ failures: Int, error: any Error) -> Duration {
        if let failure = error as? StatusFailure, let retryAfter = failure.retryAfter { return min(retryAfter, .seconds(60)) }
        let ceiling = min(250 << min(failures - 1, 7), 20_000)
        return .milliseconds(Int.random(in: max(1, ceiling / 10)...ceiling))
    }

    static func retryAfter(_ headers: HTTPHeaders) -> Duration? {
        guard let value = headers.first(name: "Retry-After"), let seconds = Int(value.trimmingCharacters(in: .whitespaces)) else {
            return nil
        }
        return .seconds(max(0, seconds))
    }

    static func describe(_ error: any Error) -> String {
        if let error = error as? HTTPClientError { return "\(error)" }
        return String(describing: error)
    }
}

extension FetchError {
    /// The error to show for anything `Fetcher` throws.
    static func unwrap(_ error: any Error) -> any Error {
        (error as? Fetcher.StatusFailure)?.error ?? error
    }
}
