/// A parsed image reference per the distribution reference grammar:
/// `[registry[:port]/]repository[:tag][@digest]`.
///
/// Docker Hub defaults apply as docker does: a reference without a registry is on `docker.io`,
/// and a single-component Docker Hub name is under `library/`.
public struct ImageReference: Hashable, Sendable, CustomStringConvertible {
    public static let dockerHub = "docker.io"

    /// The registry host, with port if any (`docker.io`, `127.0.0.1:5000`).
    public var registry: String
    /// The repository path inside the registry (`library/python`).
    public var repository: String
    public var tag: String?
    public var digest: Digest?

    public init(registry: String, repository: String, tag: String? = nil, digest: Digest? = nil) {
        self.registry = registry
        self.repository = repository
        self.tag = tag
        self.digest = digest
    }

    public init(parsing text: String) throws(ReferenceError) {
        guard !text.isEmpty else { throw ReferenceError.empty }
        guard text.utf8.count <= 4096 else { throw ReferenceError.invalid(text, "too long") }
        var rest = Substring(text)

        var digest: Digest?
        if let at = rest.firstIndex(of: "@") {
            let digestText = String(rest[rest.index(after: at)...])
            do {
                digest = try Digest(parsing: digestText)
            } catch {
                throw ReferenceError.invalid(text, error.description)
            }
            rest = rest[..<at]
        }

        // A tag follows the last ':' only if no '/' comes after it (otherwise it is a port).
        var tag: String?
        if let colon = rest.lastIndex(of: ":"), !rest[colon...].contains("/") {
            let candidate = String(rest[rest.index(after: colon)...])
            guard Self.isValidTag(candidate) else {
                throw ReferenceError.invalid(
                    text, "tag '\(candidate)' must be 1-128 characters of letters, digits, '_', '.', '-', not starting with '.' or '-'")
            }
            tag = candidate
            rest = rest[..<colon]
        }

        let components = rest.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard let first = components.first, !first.isEmpty else {
            throw ReferenceError.invalid(text, "missing repository name")
        }
        var registry = Self.dockerHub
        var pathComponents = components
        if components.count > 1, first.contains(".") || first.contains(":") || first == "localhost"
            || first.first?.isUppercase == true {
            guard Self.isValidRegistry(first) else {
                throw ReferenceError.invalid(text, "registry '\(first)' is not a valid host[:port]")
            }
            registry = first == "index.docker.io" ? Self.dockerHub : first
            pathComponents = Array(components.dropFirst())
        }
        for component in pathComponents {
            guard Self.isValidPathComponent(component) else {
                if component.contains(where: { $0.isUppercase }) {
                    throw ReferenceError.invalid(text, "repository names must be lowercase ('\(component)')")
                }
                throw ReferenceError.invalid(
                    text, "repository component '\(component)' must be lowercase letters and digits, separated by '.', '_', '__' or '-'")
            }
        }
        if registry == Self.dockerHub, pathComponents.count == 1 {
            pathComponents.insert("library", at: 0)
        }
        let repository = pathComponents.joined(separator: "/")
        guard repository.utf8.count <= 255 else {
            throw ReferenceError.invalid(text, "repository name is longer than 255 characters")
        }
        self.init(registry: registry, repository: repository, tag: tag, digest: digest)
    }

    /// The tag, digest or `latest` to ask the registry for.
    public var identifier: String {
        if let digest { return digest.description }
        return tag ?? "latest"
    }

    /// The same repository with another tag or digest.
    public func with(tag: String? = nil, digest: Digest? = nil) -> ImageReference {
        ImageReference(registry: registry, repository: repository, tag: tag, digest: digest)
    }

    /// `registry/repository`.
    public var name: String { "\(registry)/\(repository)" }

    public var description: String {
        var text = name
        if let tag { text += ":\(tag)" }
        if let digest { text += "@\(digest)" }
        return text
    }

    static func isValidTag(_ tag: String) -> Bool {
        let bytes = Array(tag.utf8)
        guard (1...128).contains(bytes.count) else { return false }
        func word(_ b: UInt8) -> Bool {
            (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a) || b == 0x5f
        }
        guard word(bytes[0]) else { return false }
        return bytes.dropFirst().allSatisfy { word($0) || $0 == 0x2e || $0 == 0x2d }
    }

    /// `[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*`
    static func isValidPathComponent(_ component: String) -> Bool {
        let bytes = Array(component.utf8)
        guard !bytes.isEmpty else { return false }
        func alnum(_ b: UInt8) -> Bool { (b >= 0x30 && b <= 0x39) || (b >= 0x61 && b <= 0x7a) }
        var index = 0
        while index < bytes.count {
            // A run of alphanumerics.
            guard alnum(bytes[index]) else { return false }
            while index < bytes.count, alnum(bytes[index]) { index += 1 }
            guard index < bytes.count else { return true }
            // A separator followed by more alphanumerics.
            let start = index
            while index < bytes.count, !alnum(bytes[index]) { index += 1 }
            let separator = bytes[start..<index]
            let valid = separator.elementsEqual([0x2e]) || separator.elementsEqual([0x5f])
                || separator.elementsEqual([0x5f, 0x5f]) || separator.allSatisfy { $0 == 0x2d }
            guard valid, index < bytes.count else { return false }
        }
        return true
    }

    /// A host name or IPv4 address, or a bracketed IPv6 address, with an optional port.
    static func isValidRegistry(_ text: String) -> Bool {
        var host = Substring(text)
        if host.hasPrefix("[") {
            guard let close = host.firstIndex(of: "]") else { return false }
            let after = host[host.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":"), let port = Int(after.dropFirst()), (1...65535).contains(port) else { return false }
            }
            return host[host.index(after: host.startIndex)..<close].allSatisfy { $0.isHexDigit || $0 == ":" }
        }
        if let colon = host.lastIndex(of: ":") {
            guard let port = Int(host[host.index(after: colon)...]), (1...65535).contains(port) else { return false }
            host = host[..<colon]
        }
        let labels = host.split(separator: ".", omittingEmptySubsequences: false)
        return !labels.isEmpty && labels.allSatisfy { label in
            !label.isEmpty && label.first != "-" && label.last != "-"
                && label.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }
        }
    }
}

public enum ReferenceError: Error, Equatable, CustomStringConvertible {
    case empty
    case invalid(String, String)

    public var description: String {
        switch self {
        case .empty: return "empty image reference"
        case .invalid(let text, let reason): return "invalid image reference '\(text)': \(reason)"
        }
    }
}
