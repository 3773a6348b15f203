/// The version a container tag starts with, for ordering and ranges: `2.1.0` of
/// `2.1.0-gpu-py310-cu118-ubuntu20.04-sagemaker`, `1.25` of `v1.25-alpine`. Numeric
/// components only; what follows the first non-numeric character is ignored.
public struct TagVersion: Comparable, Hashable, Sendable, CustomStringConvertible {
    public var components: [Int]

    public init(components: [Int]) {
        self.components = components
    }

    /// The leading `[v]N(.N)*` of a tag, or nil when it does not start with a number.
    public init?(tag: String) {
        var text = Substring(tag)
        if text.first == "v" || text.first == "V" { text = text.dropFirst() }
        var components: [Int] = []
        var current = ""
        for character in text {
            if character.isASCII, character.isNumber {
                current.append(character)
            } else if character == ".", !current.isEmpty {
                components.append(Int(current) ?? 0)
                current = ""
            } else {
                break
            }
        }
        if !current.isEmpty { components.append(Int(current) ?? 0) }
        guard !components.isEmpty else { return nil }
        self.components = components
    }

    /// Missing components count as 0: `2.1` == `2.1.0`.
    public static func < (lhs: TagVersion, rhs: TagVersion) -> Bool {
        for index in 0..<max(lhs.components.count, rhs.components.count) {
            let left = index < lhs.components.count ? lhs.components[index] : 0
            let right = index < rhs.components.count ? rhs.components[index] : 0
            if left != right { return left < right }
        }
        return false
    }

    public static func == (lhs: TagVersion, rhs: TagVersion) -> Bool { !(lhs < rhs) && !(rhs < lhs) }

    public func hash(into hasher: inout Hasher) {
        var trimmed = components
        while trimmed.last == 0 { trimmed.removeLast() }
        hasher.combine(trimmed)
    }

    public var description: String { components.map(String.init).joined(separator: ".") }
}
