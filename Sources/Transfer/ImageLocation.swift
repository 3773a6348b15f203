import OCI

/// Where an image is, as written on the command line:
/// `docker://REF` or a bare reference (a registry), `oci:DIR[:TAG]` (an OCI image layout),
/// `docker-archive:FILE[:NAME[:TAG]]` (a tarball for `docker load`).
public enum ImageLocation: Hashable, Sendable, CustomStringConvertible {
    case registry(ImageReference)
    case ociLayout(path: String, tag: String?)
    case dockerArchive(path: String, reference: ImageReference?)

    public init(parsing text: String) throws(LocationError) {
        if text.hasPrefix("docker://") {
            self = .registry(try Self.reference(String(text.dropFirst("docker://".count)), in: text))
        } else if text.hasPrefix("oci:") {
            let rest = String(text.dropFirst("oci:".count))
            let (path, tag) = Self.splitPathAndSuffix(rest)
            guard !path.isEmpty else { throw LocationError.invalid(text, "oci: needs a directory, e.g. oci:./image:latest") }
            if let tag, !tag.isEmpty {
                guard Self.isValidLayoutTag(tag) else {
                    throw LocationError.invalid(text, "'\(tag)' is not a valid tag for an OCI layout")
                }
            }
            self = .ociLayout(path: path, tag: tag?.isEmpty == true ? nil : tag)
        } else if text.hasPrefix("docker-archive:") {
            let rest = String(text.dropFirst("docker-archive:".count))
            guard !rest.isEmpty else {
                throw LocationError.invalid(text, "docker-archive: needs a file, e.g. docker-archive:image.tar:myimage:1.0")
            }
            // The path ends at the first ':' ; what follows is the image name for `docker load`.
            if let colon = rest.firstIndex(of: ":") {
                let path = String(rest[..<colon])
                let name = String(rest[rest.index(after: colon)...])
                self = .dockerArchive(path: path, reference: name.isEmpty ? nil : try Self.reference(name, in: text))
            } else {
                self = .dockerArchive(path: rest, reference: nil)
            }
        } else if let scheme = text.split(separator: ":").first, ["containers-storage", "docker-daemon", "dir", "oci-archive"].contains(String(scheme)) {
            throw LocationError.invalid(text, "the \(scheme): transport is not supported; use docker://, oci: or docker-archive:")
        } else {
            self = .registry(try Self.reference(text, in: text))
        }
    }

    public var description: String {
        switch self {
        case .registry(let reference): return "docker://\(reference)"
        case .ociLayout(let path, let tag): return "oci:\(path)" + (tag.map { ":\($0)" } ?? "")
        case .dockerArchive(let path, let reference): return "docker-archive:\(path)" + (reference.map { ":\($0)" } ?? "")
        }
    }

    private static func reference(_ text: String, in whole: String) throws(LocationError) -> ImageReference {
        do {
            return try ImageReference(parsing: text)
        } catch {
            throw LocationError.invalidReference(error)
        }
    }

    /// `dir:tag` → (dir, tag); a colon followed by something with a '/' belongs to the path.
    private static func splitPathAndSuffix(_ text: String) -> (String, String?) {
        guard let colon = text.lastIndex(of: ":") else { return (text, nil) }
        let suffix = text[text.index(after: colon)...]
        if suffix.contains("/") { return (text, nil) }
        return (String(text[..<colon]), String(suffix))
    }

    private static func isValidLayoutTag(_ tag: String) -> Bool {
        !tag.isEmpty && tag.utf8.count <= 128 && tag.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "._-".contains($0)) }
    }
}

public enum LocationError: Error, CustomStringConvertible {
    case invalid(String, String)
    case invalidReference(ReferenceError)

    public var description: String {
        switch self {
        case .invalid(let text, let reason): return "invalid image location '\(text)': \(reason)"
        case .invalidReference(let error): return error.description
        }
    }
}

import AWS

extension ImageLocation {
    /// The AWS region of an ECR registry location, nil for anything else.
    public var ecrRegion: String? {
        guard case .registry(let reference) = self else { return nil }
        return ECRRegistryHost(parsing: reference.registry)?.region
    }
}
