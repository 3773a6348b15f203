/// Hash pins on downloads and local packages: `sha256` (64 hex digits, an optional `sha256:`
/// prefix) and conda's `md5` (32 hex digits), kept in lowercase.
enum ContentHash {
    static func sha256(_ field: Field, in context: RecipeParseContext) -> String? {
        hex(field, length: 64, prefixes: ["sha256:", "sha256="], name: "a sha256 of 64 hexadecimal digits", in: context)
    }

    static func md5(_ field: Field, in context: RecipeParseContext) -> String? {
        hex(field, length: 32, prefixes: ["md5:", "md5="], name: "an md5 of 32 hexadecimal digits", in: context)
    }

    /// Whether `text` is `length` hexadecimal digits.
    static func isHex(_ text: String, length: Int) -> Bool {
        text.utf8.count == length && text.allSatisfy(\.isHexDigit)
    }

    private static func hex(_ field: Field, length: Int, prefixes: [String], name: String, in context: RecipeParseContext) -> String? {
        guard var text = field.nonEmptyString(in: context, expected: name) else { return nil }
        for prefix in prefixes where text.lowercased().hasPrefix(prefix) {
            text = String(text.dropFirst(prefix.count))
        }
        guard isHex(text, length: length) else {
            field.reportType(name, in: context)
            return nil
        }
        return text.lowercased()
    }
}
