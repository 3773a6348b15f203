import Foundation

/// The INI dialect of `~/.aws/config` and `~/.aws/credentials`: `[section]` headers,
/// `key = value` lines, full-line `#`/`;` comments, and indented sub-settings under a key
/// with an empty value (stored as `parent.child`). Keys are lowercased, as botocore does.
public struct AWSConfigFile: Sendable, Equatable {
    public struct Section: Sendable, Equatable {
        public var name: String
        public var values: [String: String]
    }

    public var sections: [Section]

    public init(sections: [Section]) {
        self.sections = sections
    }

    /// Parses the text of a file; `path` is only used in error messages. Error messages give
    /// line numbers, never line contents (which may hold secret keys).
    public init(parsing text: String, path: String) throws(CredentialsError) {
        var sections: [Section] = []
        var parentKey: String?
        let lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
        for (offset, line) in lines.enumerated() {
            let lineNumber = offset + 1
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty || trimmed.hasPrefix("#") || trimmed.hasPrefix(";") { continue }

            if trimmed.hasPrefix("[") {
                guard trimmed.hasSuffix("]") else {
                    throw .invalidConfigFile(path: path, line: lineNumber, reason: "a section header must end with ]")
                }
                let name = trimmed.dropFirst().dropLast().trimmingCharacters(in: .whitespaces)
                sections.append(Section(name: name, values: [:]))
                parentKey = nil
                continue
            }
            guard !sections.isEmpty else {
                throw .invalidConfigFile(path: path, line: lineNumber, reason: "a setting comes before any [section]")
            }
            let isIndented = line.first == " " || line.first == "\t"
            guard let equals = trimmed.firstIndex(of: "=") else {
                throw .invalidConfigFile(path: path, line: lineNumber, reason: "expected `key = value`")
            }
            let key = trimmed[..<equals].trimmingCharacters(in: .whitespaces).lowercased()
            let value = trimmed[trimmed.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            guard !key.isEmpty else {
                throw .invalidConfigFile(path: path, line: lineNumber, reason: "a setting has no name")
            }
            if isIndented, let parentKey {
                sections[sections.count - 1].values["\(parentKey).\(key)"] = value
            } else {
                sections[sections.count - 1].values[key] = value
                parentKey = value.isEmpty ? key : nil
            }
        }
        self.sections = sections
    }

    /// The values of every section with this exact name, later sections overriding earlier ones.
    public func values(ofSection name: String) -> [String: String]? {
        let matching = sections.filter { $0.name == name }
        guard !matching.isEmpty else { return nil }
        return matching.reduce(into: [:]) { result, section in result.merge(section.values) { $1 } }
    }
}
