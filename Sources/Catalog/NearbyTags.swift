/// The existing tags nearest to one that does not exist, for `smimg resolve --check`: a region
/// (China especially) does not carry every tag, and the nearest ones are usually the same
/// framework version with another Python, CUDA or OS part, or a neighbouring version.
public enum NearbyTags {
    /// Up to `limit` tags of `available`, nearest first: more leading characters in common
    /// first (the version and processor lead a DLC tag), then fewer edits, then newer names.
    public static func nearest(to wanted: String, in available: [String], limit: Int = 5) -> [String] {
        let target = Array(wanted.lowercased())
        let scored = available.map { tag -> (tag: String, prefix: Int, distance: Int) in
            let candidate = Array(tag.lowercased())
            var prefix = 0
            while prefix < min(candidate.count, target.count), candidate[prefix] == target[prefix] { prefix += 1 }
            return (tag, prefix, Levenshtein.distance(wanted.lowercased(), tag.lowercased()))
        }
        return scored.sorted {
            if $0.prefix != $1.prefix { return $0.prefix > $1.prefix }
            if $0.distance != $1.distance { return $0.distance < $1.distance }
            return $0.tag > $1.tag
        }.prefix(limit).map(\.tag)
    }
}
