import OCI

public enum LayoutError: Error, CustomStringConvertible {
    case unreadable(String)
    case notALayout(String, String)
    case tagNotFound(layout: String, tag: String, available: [String])
    case ambiguous(layout: String, available: [String])
    case missingBlob(layout: String, digest: Digest)
    case writeFailed(String, String)
    case unsupported(String)

    public var description: String {
        switch self {
        case .unreadable(let path):
            return "cannot read \(path)"
        case .notALayout(let path, let detail):
            return "\(path) is not an OCI image layout: \(detail)"
        case .tagNotFound(let layout, let tag, let available):
            return "no image tagged '\(tag)' in OCI layout \(layout)" + (available.isEmpty ? " (it holds no tagged images)" : "; tags there: \(available.joined(separator: ", "))")
        case .ambiguous(let layout, let available):
            return "OCI layout \(layout) holds several images; name one with oci:\(layout):TAG (tags: \(available.joined(separator: ", ")))"
        case .missingBlob(let layout, let digest):
            return "blob \(digest) is missing from OCI layout \(layout): the layout is incomplete"
        case .writeFailed(let path, let detail):
            return "cannot write \(path): \(detail)"
        case .unsupported(let detail):
            return detail
        }
    }
}
