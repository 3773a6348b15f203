/// Reads the text of simple elements from the small, flat XML documents the AWS query
/// protocol returns (STS), without a full XML parser.
enum XMLText {
    /// The text of the first `<name>…</name>` element (namespace prefixes not supported,
    /// attributes allowed), with entities decoded.
    static func firstElement(_ name: String, in document: String) -> String? {
        var searchStart = document.startIndex
        while let open = document.range(of: "<\(name)", range: searchStart..<document.endIndex) {
            guard let close = document[open.upperBound...].firstIndex(of: ">") else { return nil }
            let between = document[open.upperBound..<close]
            // `<NameSuffix>` is another element: keep looking.
            guard between.isEmpty || between.first == " " || between == "/" || between.first == "\t" else {
                searchStart = open.upperBound
                continue
            }
            if between.hasSuffix("/") { return "" }
            let contentStart = document.index(after: close)
            guard let end = document.range(of: "</\(name)>", range: contentStart..<document.endIndex) else {
                return nil
            }
            return decodeEntities(String(document[contentStart..<end.lowerBound]))
        }
        return nil
    }

    static func decodeEntities(_ text: String) -> String {
        guard text.contains("&") else { return text }
        var result = ""
        var index = text.startIndex
        while index < text.endIndex {
            let character = text[index]
            guard character == "&", let semicolon = text[index...].firstIndex(of: ";"),
                text.distance(from: index, to: semicolon) <= 10
            else {
                result.append(character)
                index = text.index(after: index)
                continue
            }
            let entity = text[text.index(after: index)..<semicolon]
            let decoded: String?
            switch entity {
            case "amp": decoded = "&"
            case "lt": decoded = "<"
            case "gt": decoded = ">"
            case "quot": decoded = "\""
            case "apos": decoded = "'"
            default:
                if entity.hasPrefix("#x") || entity.hasPrefix("#X"), let code = UInt32(entity.dropFirst(2), radix: 16),
                    let scalar = Unicode.Scalar(code)
                {
                    decoded = String(Character(scalar))
                } else if entity.hasPrefix("#"), let code = UInt32(entity.dropFirst()), let scalar = Unicode.Scalar(code) {
                    decoded = String(Character(scalar))
                } else {
                    decoded = nil
                }
            }
            if let decoded {
                result += decoded
                index = text.index(after: semicolon)
            } else {
                result.append(character)
                index = text.index(after: index)
            }
        }
        return result
    }
}
