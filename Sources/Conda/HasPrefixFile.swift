/// The legacy `info/has_prefix` file: per line either `path` (placeholder
/// `/opt/anaconda1anaconda2anaconda3`, text mode) or `placeholder mode path`, split like a shell
/// line so quoted parts may hold spaces.
public struct HasPrefixFile: Sendable, Hashable {
    public struct Entry: Sendable, Hashable {
        public var placeholder: String
        public var fileMode: PathEntry.FileMode
        public var path: String

        public init(placeholder: String, fileMode: PathEntry.FileMode, path: String) {
            self.placeholder = placeholder
            self.fileMode = fileMode
            self.path = path
        }
    }

    public var entries: [Entry]

    public init(parsing text: String) throws(PathsJSONError) {
        entries = []
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = String(rawLine).trimmingWhitespace()
            if line.isEmpty { continue }
            func fail(_ reason: String) -> PathsJSONError { .badHasPrefixLine(line: index + 1, text: line, reason: reason) }
            guard let parts = Self.split(line) else { throw fail("unterminated quote") }
            switch parts.count {
            case 1:
                entries.append(Entry(placeholder: PathsJSON.legacyPlaceholder, fileMode: .text, path: parts[0]))
            case 3:
                guard let mode = PathEntry.FileMode(rawValue: parts[1]) else {
                    throw fail("mode '\(parts[1])' is neither text nor binary")
                }
                guard !parts[0].isEmpty else { throw fail("empty placeholder") }
                entries.append(Entry(placeholder: parts[0], fileMode: mode, path: parts[2]))
            default:
                throw fail("expected 'path' or 'placeholder mode path', found \(parts.count) fields")
            }
        }
    }

    /// Whitespace-separated fields; `'…'` and `"…"` group (the quotes are dropped). nil when a
    /// quote is not closed.
    static func split(_ line: String) -> [String]? {
        var fields: [String] = []
        var current = ""
        var inField = false
        var quote: Character?
        for character in line {
            if let open = quote {
                if character == open { quote = nil } else { current.append(character) }
            } else if character == "'" || character == "\"" {
                quote = character
                inField = true
            } else if character.isWhitespace {
                if inField { fields.append(current) }
                current = ""
                inField = false
            } else {
                current.append(character)
                inField = true
            }
        }
        guard quote == nil else { return nil }
        if inField { fields.append(current) }
        return fields
    }
}
