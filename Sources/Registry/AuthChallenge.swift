/// A parsed `WWW-Authenticate` challenge from a registry.
public struct AuthChallenge: Hashable, Sendable {
    public enum Scheme: String, Sendable {
        case basic
        case bearer
    }

    public var scheme: Scheme
    public var parameters: [String: String]

    public var realm: String? { parameters["realm"] }
    public var service: String? { parameters["service"] }
    public var scope: String? { parameters["scope"] }

    public init(scheme: Scheme, parameters: [String: String]) {
        self.scheme = scheme
        self.parameters = parameters
    }

    /// Parses `Bearer realm="https://auth.example/token",service="registry",scope="repository:x:pull"`
    /// or `Basic realm="Registry"`. Returns nil for schemes smimg does not speak.
    public init?(header: String) {
        let trimmed = trimSpaces(Substring(header))
        let schemeEnd = trimmed.firstIndex(of: " ") ?? trimmed.endIndex
        guard let scheme = Scheme(rawValue: trimmed[..<schemeEnd].lowercased()) else { return nil }
        self.scheme = scheme
        self.parameters = Self.parseParameters(trimmed[schemeEnd...])
    }

    /// `key=value` or `key="quoted, value"` pairs separated by commas.
    static func parseParameters(_ text: Substring) -> [String: String] {
        var result: [String: String] = [:]
        var index = text.startIndex
        func skip(_ characters: Set<Character>) {
            while index < text.endIndex, characters.contains(text[index]) { index = text.index(after: index) }
        }
        while index < text.endIndex {
            skip([" ", ","])
            let keyStart = index
            while index < text.endIndex, text[index] != "=", text[index] != "," { index = text.index(after: index) }
            let key = trimSpaces(text[keyStart..<index]).lowercased()
            guard index < text.endIndex, text[index] == "=" else { continue }
            index = text.index(after: index)
            var value = ""
            if index < text.endIndex, text[index] == "\"" {
                index = text.index(after: index)
                while index < text.endIndex, text[index] != "\"" {
                    if text[index] == "\\", text.index(after: index) < text.endIndex {
                        index = text.index(after: index)
                    }
                    value.append(text[index])
                    index = text.index(after: index)
                }
                if index < text.endIndex { index = text.index(after: index) }
            } else {
                let valueStart = index
                while index < text.endIndex, text[index] != "," { index = text.index(after: index) }
                value = trimSpaces(text[valueStart..<index])
            }
            if !key.isEmpty { result[key] = value }
        }
        return result
    }
}

/// The text without leading and trailing spaces and tabs.
func trimSpaces(_ text: Substring) -> String {
    var slice = text
    while let first = slice.first, first == " " || first == "\t" { slice = slice.dropFirst() }
    while let last = slice.last, last == " " || last == "\t" { slice = slice.dropLast() }
    return String(slice)
}
