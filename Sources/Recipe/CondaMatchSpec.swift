import Foundation

/// A conda package spec (MatchSpec) as written: `faiss-gpu`, `faiss-gpu=1.7.2`,
/// `cudatoolkit=11.1`, `numpy>=1.24,<2`, `pytorch=2.1=*cuda*`, `conda-forge::faiss-gpu`,
/// `numpy[version='>=1.24']`. Only its shape is checked here; versions are matched when the
/// step is resolved against the channels.
public struct CondaMatchSpec: Sendable, Hashable, CustomStringConvertible {
    /// The spec as written, trimmed.
    public var text: String
    /// Package name, lowercase.
    public var name: String
    /// A `channel::` prefix.
    public var channel: String?
    /// What follows the name (`=1.7.2`, `>=1.24,<2`, `[version='>=1.24']`), trimmed; empty for any.
    public var constraint: String

    public var description: String { text }

    static func parse(_ input: String) -> CondaMatchSpec? {
        let text = input.trimmingCharacters(in: .whitespaces)
        var rest = Substring(text)
        var channel: String?
        if let separator = rest.range(of: "::") {
            let prefix = String(rest[..<separator.lowerBound])
            guard !prefix.isEmpty, !prefix.contains(where: \.isWhitespace) else { return nil }
            channel = prefix
            rest = rest[separator.upperBound...]
        }
        let name = rest.prefix { CondaPackageName.isNameCharacter($0) }
        guard !name.isEmpty else { return nil }
        let constraint = rest.dropFirst(name.count).trimmingCharacters(in: .whitespaces)
        if constraint.hasPrefix("[") {
            guard constraint.hasSuffix("]") else { return nil }
        } else {
            let allowed = constraint.allSatisfy { ($0.isASCII && ($0.isLetter || $0.isNumber)) || "._*+!=<>|,~ -".contains($0) }
            guard allowed else { return nil }
        }
        return CondaMatchSpec(text: text, name: name.lowercased(), channel: channel, constraint: constraint)
    }
}
