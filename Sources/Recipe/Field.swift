import Yams

/// A YAML node and the path it was found at, with readers that report a wrong type at the
/// node's line and column and return nil.
struct Field {
    let node: Node
    let path: FieldPath

    /// A plain `~`, `null` or empty scalar.
    var isNull: Bool {
        guard case .scalar(let scalar) = node, scalar.style == .plain || scalar.style == .any,
              scalar.tag.description == Tag.Name.implicit.rawValue || scalar.tag.description == Tag.Name.null.rawValue
        else { return false }
        return ["", "~", "null", "Null", "NULL"].contains(scalar.string)
    }

    /// How the value reads in a message: `"app"`, `a list`, `a mapping`, `nothing`.
    var shown: String {
        if isNull { return "nothing" }
        switch node {
        case .scalar(let scalar): return Quoted.text(scalar.string)
        case .sequence: return "a list"
        case .mapping: return "a mapping"
        case .alias: return "an alias"
        }
    }

    func location(in context: RecipeParseContext) -> SourceLocation {
        context.location(of: node, at: path)
    }

    func reportType(_ expected: String, in context: RecipeParseContext, suggestion: String? = nil) {
        context.report(self, "expected \(expected), got \(shown)", suggestion: suggestion)
    }

    /// The text of a scalar (numbers and booleans as written); null and collections are errors.
    func string(in context: RecipeParseContext, expected: String = "a string") -> String? {
        guard case .scalar(let scalar) = node, !isNull else {
            reportType(expected, in: context)
            return nil
        }
        return scalar.string
    }

    /// A non-empty string.
    func nonEmptyString(in context: RecipeParseContext, expected: String = "a string") -> String? {
        guard let text = string(in: context, expected: expected) else { return nil }
        guard !text.isEmpty else {
            reportType(expected, in: context)
            return nil
        }
        return text
    }

    /// `true` or `false` (any case).
    func bool(in context: RecipeParseContext) -> Bool? {
        guard case .scalar(let scalar) = node, !isNull else {
            reportType("true or false", in: context)
            return nil
        }
        switch scalar.string.lowercased() {
        case "true": return true
        case "false": return false
        default:
            reportType("true or false", in: context)
            return nil
        }
    }

    /// A decimal integer.
    func integer(in context: RecipeParseContext, expected: String = "a whole number") -> Int? {
        guard case .scalar(let scalar) = node, !isNull, let value = Int(scalar.string) else {
            reportType(expected, in: context)
            return nil
        }
        return value
    }

    /// The items of a list, or this value alone when `singleAllowed` and it is not a list.
    func items(in context: RecipeParseContext, expected: String, singleAllowed: Bool = true) -> [Field]? {
        switch node {
        case .sequence(let sequence):
            return sequence.enumerated().map { Field(node: $0.element, path: path.index($0.offset)) }
        case .scalar where singleAllowed && !isNull:
            return [self]
        default:
            reportType(expected, in: context)
            return nil
        }
    }

    /// A string or a list of strings, each with its field; nil when any item is not a string.
    func strings(in context: RecipeParseContext, expected: String = "a string or a list of strings") -> [(text: String, field: Field)]? {
        guard let items = items(in: context, expected: expected) else { return nil }
        var result: [(text: String, field: Field)] = []
        var valid = true
        for item in items {
            if let text = item.nonEmptyString(in: context, expected: "a non-empty string") {
                result.append((text, item))
            } else {
                valid = false
            }
        }
        return valid ? result : nil
    }
}

/// Text quoted for messages, as JSON would quote it.
enum Quoted {
    static func text(_ value: String) -> String {
        var result = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\t": result += "\\t"
            case "\r": result += "\\r"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7f {
                    result += "\\u{\(String(scalar.value, radix: 16))}"
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        return result + "\""
    }
}
