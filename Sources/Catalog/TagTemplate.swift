/// A formula for a tag or a registry host: literal text, `{part}` placeholders, and optional
/// groups in square brackets that are written only when every placeholder inside them has a
/// non-empty value. `{version}-{processor}-{python}[-{cuda}]-{os}[-{suffix}]` gives
/// `2.1.0-cpu-py310-ubuntu20.04-sagemaker` for a CPU image (no CUDA part).
public struct TagTemplate: Sendable, Hashable, CustomStringConvertible {
    enum Piece: Sendable, Hashable {
        case literal(String)
        case placeholder(String)
        case optional([Piece])
    }

    public let text: String
    let pieces: [Piece]

    public init(_ text: String) throws(TagTemplateError) {
        self.text = text
        self.pieces = try Self.parse(text)
    }

    public var description: String { text }

    /// Every placeholder name, required or optional.
    public var placeholders: Set<String> {
        var names = Set<String>()
        func collect(_ pieces: [Piece]) {
            for piece in pieces {
                switch piece {
                case .literal: break
                case .placeholder(let name): names.insert(name)
                case .optional(let inner): collect(inner)
                }
            }
        }
        collect(pieces)
        return names
    }

    /// The placeholders outside optional groups: the text cannot be written without them.
    public var requiredPlaceholders: Set<String> {
        var names = Set<String>()
        for case .placeholder(let name) in pieces { names.insert(name) }
        return names
    }

    /// Writes the text. A required placeholder without a non-empty value is an error naming it.
    public func render(_ values: [String: String]) throws(TagTemplateError) -> String {
        var output = ""
        for piece in pieces {
            switch piece {
            case .literal(let text):
                output += text
            case .placeholder(let name):
                guard let value = values[name], !value.isEmpty else {
                    throw .missingValue(template: text, placeholder: name)
                }
                output += value
            case .optional(let inner):
                output += Self.renderOptional(inner, values)
            }
        }
        return output
    }

    private static func renderOptional(_ pieces: [Piece], _ values: [String: String]) -> String {
        var output = ""
        for piece in pieces {
            switch piece {
            case .literal(let text):
                output += text
            case .placeholder(let name):
                guard let value = values[name], !value.isEmpty else { return "" }
                output += value
            case .optional:
                return ""  // the parser does not produce nested groups
            }
        }
        return output
    }

    private static func parse(_ text: String) throws(TagTemplateError) -> [Piece] {
        var pieces: [Piece] = []
        var group: [Piece]? = nil
        var literal = ""
        var index = text.startIndex

        func flushLiteral() {
            guard !literal.isEmpty else { return }
            if group != nil { group?.append(.literal(literal)) } else { pieces.append(.literal(literal)) }
            literal = ""
        }

        while index < text.endIndex {
            let character = text[index]
            switch character {
            case "{":
                guard let close = text[index...].firstIndex(of: "}") else {
                    throw .malformed(template: text, reason: "a '{' is not closed by '}'")
                }
                let name = String(text[text.index(after: index)..<close])
                guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber }) else {
                    throw .malformed(template: text, reason: "placeholder '{\(name)}' must be a non-empty name of letters and digits")
                }
                flushLiteral()
                if group != nil { group?.append(.placeholder(name)) } else { pieces.append(.placeholder(name)) }
                index = text.index(after: close)
                continue
            case "[":
                guard group == nil else {
                    throw .malformed(template: text, reason: "optional groups '[...]' cannot be nested")
                }
                flushLiteral()
                group = []
            case "]":
                guard group != nil else {
                    throw .malformed(template: text, reason: "a ']' has no opening '['")
                }
                flushLiteral()
                pieces.append(.optional(group ?? []))
                group = nil
            case "}":
                throw .malformed(template: text, reason: "a '}' has no opening '{'")
            default:
                literal.append(character)
            }
            index = text.index(after: index)
        }
        guard group == nil else {
            throw .malformed(template: text, reason: "a '[' is not closed by ']'")
        }
        flushLiteral()
        return pieces
    }
}

public enum TagTemplateError: Error, Equatable, CustomStringConvertible {
    case malformed(template: String, reason: String)
    case missingValue(template: String, placeholder: String)

    public var description: String {
        switch self {
        case .malformed(let template, let reason):
            return "formula '\(template)' is malformed: \(reason)"
        case .missingValue(let template, let placeholder):
            return "formula '\(template)' needs a value for {\(placeholder)}"
        }
    }
}
