/// Orders version strings by their dot-separated numeric components (`2.10.0` after `2.9.0`);
/// a non-numeric component compares as text.
enum VersionOrder {
    static func isNewer(_ lhs: String, _ rhs: String) -> Bool {
        let left = lhs.split(separator: ".").map(String.init)
        let right = rhs.split(separator: ".").map(String.init)
        for (a, b) in zip(left, right) where a != b {
            if let x = Int(a), let y = Int(b) { return x > y }
            return a > b
        }
        if left.count != right.count { return left.count > right.count }
        return lhs > rhs
    }
}
