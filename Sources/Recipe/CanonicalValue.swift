import OCI

/// The canonical form of a parsed recipe: a JSON value written with object keys sorted by
/// their UTF-8 bytes, no insignificant whitespace, and only the escapes JSON requires. It
/// depends on what the recipe means, not on how its YAML was written (quoting, flow or block
/// style, comments, key order in mappings whose order does not matter, defaults left out).
enum CanonicalValue: Hashable {
    case string(String)
    case integer(Int)
    case bool(Bool)
    case list([CanonicalValue])
    case object([String: CanonicalValue])

    /// An object from optional members; nil members are left out, so a field added to the format
    /// later does not change the digest of recipes that do not use it.
    static func object(_ members: KeyValuePairs<String, CanonicalValue?>) -> CanonicalValue {
        var object: [String: CanonicalValue] = [:]
        for (key, value) in members {
            if let value { object[key] = value }
        }
        return .object(object)
    }

    static func strings(_ values: [String]) -> CanonicalValue {
        .list(values.map(CanonicalValue.string))
    }

    /// The JSON text.
    var encoded: String {
        var output = ""
        write(to: &output)
        return output
    }

    /// SHA-256 of the JSON text.
    var digest: Digest {
        var hasher = DigestHasher(algorithm: .sha256)
        hasher.update(Array(encoded.utf8))
        return hasher.finalize()
    }

    private func write(to output: inout String) {
        switch self {
        case .string(let text): Self.writeString(text, to: &output)
        case .integer(let number): output += String(number)
        case .bool(let flag): output += flag ? "true" : "false"
        case .list(let items):
            output += "["
            for (index, item) in items.enumerated() {
                if index > 0 { output += "," }
                item.write(to: &output)
            }
            output += "]"
        case .object(let members):
            output += "{"
            let keys = members.keys.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
            for (index, key) in keys.enumerated() {
                if index > 0 { output += "," }
                Self.writeString(key, to: &output)
                output += ":"
                members[key]?.write(to: &output)
            }
            output += "}"
        }
    }

    private static func writeString(_ text: String, to output: inout String) {
        output += "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": output += "\\\""
            case "\\": output += "\\\\"
            case "\n": output += "\\n"
            case "\r": output += "\\r"
            case "\t": output += "\\t"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    output += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    output.unicodeScalars.append(scalar)
                }
            }
        }
        output += "\""
    }
}

/// Values with a canonical form.
protocol CanonicallyEncodable {
    var canonical: CanonicalValue { get }
}
