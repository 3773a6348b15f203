/// The order of entries in a layer: depth first, each directory before its contents and its
/// subtree contiguous (paths compared component by component); within a directory the opaque
/// marker first, then other whiteouts, then the remaining names by their UTF-8 bytes.
///
/// Whiteouts therefore precede the entries of their directory, as containerd and the OCI
/// checklist prefer, and parents always precede children.
public enum LayerPathOrder {
    public static func areInIncreasingOrder(_ lhs: String, _ rhs: String) -> Bool {
        compare(lhs, rhs) < 0
    }

    /// Negative, zero or positive as `lhs` sorts before, equal to, or after `rhs`.
    public static func compare(_ lhs: String, _ rhs: String) -> Int {
        var left = lhs.utf8.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: true).makeIterator()
        var right = rhs.utf8.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: true).makeIterator()
        while true {
            switch (left.next(), right.next()) {
            case (nil, nil): return 0
            case (nil, _): return -1
            case (_, nil): return 1
            case (let a?, let b?):
                let order = compareNames(a, b)
                if order != 0 { return order }
            }
        }
    }

    /// Compares two names within one directory.
    public static func compareNames(_ lhs: String, _ rhs: String) -> Int {
        compareNames(Substring(lhs).utf8[...], Substring(rhs).utf8[...])
    }

    static func compareNames<Name: Collection>(_ lhs: Name, _ rhs: Name) -> Int where Name.Element == UInt8 {
        let leftRank = rank(lhs), rightRank = rank(rhs)
        if leftRank != rightRank { return leftRank < rightRank ? -1 : 1 }
        if lhs.elementsEqual(rhs) { return 0 }
        return lhs.lexicographicallyPrecedes(rhs) ? -1 : 1
    }

    private static let opaque = Array(Whiteout.opaqueMarker.utf8)
    private static let whiteout = Array(Whiteout.prefix.utf8)

    private static func rank<Name: Collection>(_ name: Name) -> Int where Name.Element == UInt8 {
        if name.elementsEqual(opaque) { return 0 }
        if name.starts(with: whiteout) { return 1 }
        return 2
    }
}
