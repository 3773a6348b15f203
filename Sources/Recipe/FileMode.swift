/// Permission bits (`0644`), at most `07777`.
public struct FileMode: Sendable, Hashable, CustomStringConvertible {
    public var bits: UInt32

    public init(bits: UInt32) {
        self.bits = bits
    }

    /// Four octal digits: `0644`.
    public var description: String {
        let octal = String(bits, radix: 8)
        return String(repeating: "0", count: max(0, 4 - octal.count)) + octal
    }
}

extension FileMode {
    static let expected = "a mode in quotes like \"0644\", or a number like 0644 (octal) or 420 (decimal)"

    /// Quoted strings are octal, as chmod reads them (`"0644"`, `"755"`, `"0o644"`). Unquoted
    /// numbers follow YAML 1.1: a leading `0` or `0o` means octal (`0644`), otherwise decimal
    /// (`420`). An unquoted decimal of 512 or more (`644`, `755`) is refused: it would set the
    /// setuid/setgid/sticky bits, and is almost always octal written without its `0`.
    static func parse(_ field: Field, in context: RecipeParseContext) -> FileMode? {
        guard case .scalar(let scalar) = field.node, !field.isNull else {
            field.reportType(expected, in: context)
            return nil
        }
        let text = scalar.string
        let quoted = scalar.style == .singleQuoted || scalar.style == .doubleQuoted
        var value: UInt32?
        var octal = true
        if text.lowercased().hasPrefix("0o") {
            value = UInt32(text.dropFirst(2), radix: 8)
        } else if quoted || text.hasPrefix("0") {
            value = UInt32(text, radix: 8)
        } else {
            octal = false
            value = UInt32(text, radix: 10)
        }
        guard let value, !text.isEmpty else {
            context.report(field, "invalid mode \(Quoted.text(text))", suggestion: "write \(expected)")
            return nil
        }
        guard value <= 0o7777 else {
            context.report(field, "mode \(Quoted.text(text)) is larger than 07777")
            return nil
        }
        if !octal, value >= 0o1000 {
            context.report(
                field, "mode \(text) is read as a decimal number (octal \(FileMode(bits: value).description))",
                suggestion: "write \(Quoted.text("0" + text)) for octal, or 0\(text) unquoted")
            return nil
        }
        return FileMode(bits: value)
    }
}
