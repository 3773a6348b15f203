// Small string helpers shared by the parsers (Foundation-free so they behave the same everywhere).

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}

extension String {
    func trimmingWhitespace() -> String {
        var scalars = Substring(self)
        while let first = scalars.first, first.isWhitespace { scalars.removeFirst() }
        while let last = scalars.last, last.isWhitespace { scalars.removeLast() }
        return String(scalars)
    }

    func replacingAll(_ target: Character, with replacement: Character) -> String {
        String(map { $0 == target ? replacement : $0 })
    }

    func splitKeepingEmpty(_ separator: Character) -> [String] {
        split(separator: separator, omittingEmptySubsequences: false).map(String.init)
    }
}

/// `*`-only glob matching over whole strings, as conda's build-string and name globs
/// (`py310*`, `*cuda*`); every other character is literal.
func globMatches(_ pattern: String, _ text: String) -> Bool {
    let pattern = Array(pattern.utf8)
    let text = Array(text.utf8)
    var p = 0
    var t = 0
    var starAt = -1
    var resumeAt = 0
    while t < text.count {
        if p < pattern.count, pattern[p] != UInt8(ascii: "*"), pattern[p] == text[t] {
            p += 1
            t += 1
        } else if p < pattern.count, pattern[p] == UInt8(ascii: "*") {
            starAt = p
            resumeAt = t
            p += 1
        } else if starAt >= 0 {
            p = starAt + 1
            resumeAt += 1
            t = resumeAt
        } else {
            return false
        }
    }
    while p < pattern.count, pattern[p] == UInt8(ascii: "*") { p += 1 }
    return p == pattern.count
}
