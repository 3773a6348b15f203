import Catalog

/// The valid names nearest to a mistyped one, by case-insensitive edit distance.
enum NameSuggestions {
    /// Up to `limit` candidates close enough to be what was meant, nearest first.
    static func nearest(to input: String, in candidates: [String], limit: Int = 3) -> [String] {
        let needle = input.lowercased()
        let threshold = max(2, needle.count / 3)
        let scored = candidates.compactMap { candidate -> (name: String, distance: Int)? in
            let lowered = candidate.lowercased()
            var distance = Levenshtein.distance(needle, lowered)
            if needle.count >= 3, lowered.hasPrefix(needle) || needle.hasPrefix(lowered) {
                distance = min(distance, 1)
            }
            return distance <= threshold ? (candidate, distance) : nil
        }
        .sorted { $0.distance != $1.distance ? $0.distance < $1.distance : $0.name < $1.name }
        guard let best = scored.first?.distance else { return [] }
        return scored.prefix { $0.distance == best }.prefix(limit).map(\.name)
    }

    /// `did you mean 'image'?`, or the full list of choices when nothing is near.
    static func hint(for input: String, in candidates: [String], noun: String = "keys") -> String {
        let near = nearest(to: input, in: candidates)
        switch near.count {
        case 0: return "valid \(noun): \(candidates.joined(separator: ", "))"
        case 1: return "did you mean '\(near[0])'?"
        default: return "did you mean one of \(near.map { "'\($0)'" }.joined(separator: ", "))?"
        }
    }
}
