/// Nearest valid names for a mistyped one, by edit distance (Levenshtein, case-insensitive).
enum NameSuggestions {
    /// Up to `limit` names within a distance that grows with the name's length and at most one
    /// edit farther than the nearest, nearest first; names that start with the input count as near.
    static func nearest(to input: String, in candidates: some Sequence<String>, limit: Int = 3) -> [String] {
        let needle = input.lowercased()
        let threshold = max(2, needle.count / 3)
        var scored: [(name: String, distance: Int)] = []
        for candidate in candidates {
            let lowered = candidate.lowercased()
            var distance = Levenshtein.distance(needle, lowered)
            if !needle.isEmpty, lowered.hasPrefix(needle) || needle.hasPrefix(lowered) {
                distance = min(distance, 1)
            }
            if distance <= threshold { scored.append((candidate, distance)) }
        }
        scored.sort { $0.distance != $1.distance ? $0.distance < $1.distance : $0.name < $1.name }
        guard let best = scored.first?.distance else { return [] }
        return scored.prefix { $0.distance <= best + 1 }.prefix(limit).map(\.name)
    }
}

/// Levenshtein edit distance, shared with the recipe parser's suggestions.
public enum Levenshtein {
    public static func distance(_ a: String, _ b: String) -> Int {
        let x = Array(a), y = Array(b)
        if x.isEmpty { return y.count }
        if y.isEmpty { return x.count }
        var previous = Array(0...y.count)
        var current = Array(repeating: 0, count: y.count + 1)
        for i in 1...x.count {
            current[0] = i
            for j in 1...y.count {
                let substitution = previous[j - 1] + (x[i - 1] == y[j - 1] ? 0 : 1)
                current[j] = min(previous[j] + 1, current[j - 1] + 1, substitution)
            }
            swap(&previous, &current)
        }
        return previous[y.count]
    }
}
