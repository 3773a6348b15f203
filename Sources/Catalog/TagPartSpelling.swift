/// Accepts the spellings people use for tag parts and turns them into the tag's own:
/// python `3.10` → `py310`, CUDA `12.1` → `cu121`, OS `22.04` → `ubuntu22.04`, SDK `sdk2.26.1` → `2.26.1`.
enum TagPartSpelling {
    static func python(_ text: String) -> String {
        var value = text.lowercased().replacingOccurrences(of: "python", with: "")
        if value.hasPrefix("py") { value.removeFirst(2) }
        value = value.replacingOccurrences(of: ".", with: "")
        return "py" + value
    }

    static func cuda(_ text: String) -> String {
        var value = text.lowercased().replacingOccurrences(of: "cuda", with: "")
        if value.hasPrefix("cu") { value.removeFirst(2) }
        value = value.replacingOccurrences(of: ".", with: "")
        return "cu" + value
    }

    static func os(_ text: String) -> String {
        let value = text.lowercased()
        if let first = value.first, first.isNumber { return "ubuntu" + value }
        return value.replacingOccurrences(of: "ubuntu-", with: "ubuntu")
    }

    static func sdk(_ text: String) -> String {
        let value = text.lowercased()
        return value.hasPrefix("sdk") ? String(value.dropFirst(3)) : value
    }

    static func base(_ text: String) -> String {
        var value = text.lowercased()
        for prefix in ["pytorch", "tensorflow", "pt", "tf"] where value.hasPrefix(prefix) {
            value.removeFirst(prefix.count)
            break
        }
        return value
    }
}
