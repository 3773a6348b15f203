import Foundation

/// Why a METADATA / PKG-INFO file could not be read.
public struct CoreMetadataError: Error, Sendable, Hashable, CustomStringConvertible {
    public var reason: String
    public var description: String { "invalid core metadata: \(reason)" }
}

/// Core metadata (`METADATA`, `PKG-INFO`): RFC 822-style headers, then an optional body (the
/// description). Field names compare case-insensitively; multiple-use fields keep their order.
public struct CoreMetadata: Sendable, Hashable {
    /// Every header in file order, names as written, folded lines joined with `\n`.
    public var fields: [(name: String, value: String)] {
        zip(fieldNames, fieldValues).map { ($0, $1) }
    }
    private var fieldNames: [String]
    private var fieldValues: [String]
    /// Text after the blank line ending the headers.
    public var body: String

    public var name: String
    public var version: PythonVersion
    public var requiresDist: [Requirement]
    public var requiresPython: SpecifierSet?
    public var providesExtra: [String]

    public init(_ text: String) throws(CoreMetadataError) {
        var names: [String] = [], values: [String] = []
        let lines = text.replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n", omittingEmptySubsequences: false)
        var bodyStart = lines.endIndex
        for (i, line) in lines.enumerated() {
            if line.allSatisfy({ $0 == " " || $0 == "\t" }) {  // a blank line ends the headers
                bodyStart = i + 1
                break
            }
            if line.first == " " || line.first == "\t" {
                guard !values.isEmpty else { throw CoreMetadataError(reason: "line \(i + 1) continues no header") }
                values[values.count - 1] += "\n" + line.drop(while: { $0 == " " || $0 == "\t" })
                continue
            }
            guard let colon = line.firstIndex(of: ":"), colon > line.startIndex else {
                throw CoreMetadataError(reason: "line \(i + 1) is not 'Name: value'")
            }
            names.append(String(line[..<colon]).trimmingCharacters(in: .whitespaces))
            values.append(String(line[line.index(after: colon)...]).trimmingCharacters(in: .whitespaces))
        }
        fieldNames = names
        fieldValues = values
        body = bodyStart < lines.endIndex ? lines[bodyStart...].joined(separator: "\n") : ""

        func all(_ key: String) -> [String] {
            zip(names, values).filter { $0.0.lowercased() == key.lowercased() }.map(\.1)
        }
        guard let name = all("Name").first, !name.isEmpty else { throw CoreMetadataError(reason: "no Name field") }
        guard let versionText = all("Version").first else { throw CoreMetadataError(reason: "no Version field") }
        self.name = name
        do { version = try PythonVersion(versionText) } catch { throw CoreMetadataError(reason: error.description) }
        var deps: [Requirement] = []
        for d in all("Requires-Dist") {
            do { deps.append(try Requirement(d)) } catch { throw CoreMetadataError(reason: error.description) }
        }
        requiresDist = deps
        if let rp = all("Requires-Python").first {
            do { requiresPython = try SpecifierSet(rp) } catch { throw CoreMetadataError(reason: error.description) }
        } else {
            requiresPython = nil
        }
        providesExtra = all("Provides-Extra")
    }

    /// All values of a field (case-insensitive name), in order.
    public func values(_ field: String) -> [String] {
        zip(fieldNames, fieldValues).filter { $0.0.lowercased() == field.lowercased() }.map(\.1)
    }

    /// The first value of a field.
    public subscript(field: String) -> String? { values(field).first }

    /// `Requires-Dist` entries that apply in `environment` (its extras included).
    public func dependencies(in environment: MarkerEnvironment) -> [Requirement] {
        requiresDist.filter { $0.applies(in: environment) }
    }

    public static func == (l: CoreMetadata, r: CoreMetadata) -> Bool {
        l.fieldNames == r.fieldNames && l.fieldValues == r.fieldValues && l.body == r.body
    }
    public func hash(into hasher: inout Hasher) {
        hasher.combine(fieldNames)
        hasher.combine(fieldValues)
        hasher.combine(body)
    }
}
