/// Numeric owner of copied files: `uid:gid`.
public struct FileOwner: Sendable, Hashable, CustomStringConvertible {
    public var uid: UInt32
    public var gid: UInt32

    public init(uid: UInt32, gid: UInt32) {
        self.uid = uid
        self.gid = gid
    }

    public var description: String { "\(uid):\(gid)" }
}

extension FileOwner {
    /// `"1000:100"`, or `1000` alone for the same uid and gid. Names are refused: they could only
    /// be looked up by reading the image's /etc/passwd, which the recipe does not pin.
    static func parse(_ field: Field, in context: RecipeParseContext) -> FileOwner? {
        guard let text = field.nonEmptyString(in: context, expected: "a numeric owner like \"1000:1000\"") else { return nil }
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        let numbers = parts.map { UInt32($0) }
        guard (1...2).contains(parts.count), numbers.allSatisfy({ $0 != nil }), let uid = numbers[0] else {
            let named = parts.contains { part in !part.isEmpty && UInt32(part) == nil && part.allSatisfy { $0.isLetter || $0 == "_" || $0 == "-" } }
            context.report(
                field, "owner must be numeric uid:gid (got \(Quoted.text(text)))",
                suggestion: named
                    ? "user and group names cannot be looked up at build time; write the numbers, e.g. \"1000:1000\""
                    : "write e.g. \"1000:1000\"")
            return nil
        }
        let gid = parts.count == 2 ? numbers[1] ?? uid : uid
        return FileOwner(uid: uid, gid: gid)
    }
}
