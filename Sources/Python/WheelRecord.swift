import Foundation

/// Why a RECORD file could not be read.
public struct WheelRecordError: Error, Sendable, Hashable, CustomStringConvertible {
    public var line: Int
    public var reason: String
    public var description: String { "invalid RECORD, line \(line): \(reason)" }
}

/// A wheel's or an installation's `RECORD`: CSV rows `path,algorithm=digest,size`, where the
/// digest is urlsafe base64 without `=` padding; `RECORD` itself (and `.pyc` files) have empty
/// hash and size.
public struct WheelRecord: Sendable, Hashable {
    public struct Entry: Sendable, Hashable {
        /// `/`-separated, relative to the directory holding `.dist-info`.
        public var path: String
        /// `sha256=…`, or nil.
        public var hash: String?
        public var size: Int?

        public init(path: String, hash: String? = nil, size: Int? = nil) {
            self.path = path
            self.hash = hash
            self.size = size
        }

        /// An entry for a file with this SHA-256 digest (32 bytes) and size.
        public init(path: String, sha256 digest: some Sequence<UInt8>, size: Int) {
            self.init(path: path, hash: WheelRecord.hashField(sha256: digest), size: size)
        }

        /// `sha256` of `sha256=…`.
        public var algorithm: String? { hash.flatMap { $0.split(separator: "=", maxSplits: 1).first.map(String.init) } }

        /// The decoded digest bytes, or nil when there is no hash or it is not valid base64.
        public var digest: [UInt8]? {
            guard let hash, let eq = hash.firstIndex(of: "=") else { return nil }
            return WheelRecord.decodeURLSafeBase64(String(hash[hash.index(after: eq)...]))
        }
    }

    public var entries: [Entry]

    public init(entries: [Entry] = []) { self.entries = entries }

    /// Parses CSV with `"` quoting (`""` inside quotes), `\n` or `\r\n` line ends. Empty lines are skipped.
    public init(_ text: String) throws(WheelRecordError) {
        var entries: [Entry] = []
        var rows: [[String]] = []
        var field = "", row: [String] = [], inQuotes = false, afterQuote = false, line = 1, rowLines: [Int] = []
        var chars = Array(text)[...]
        func endRow() {
            row.append(field)
            if !(row.count == 1 && row[0].isEmpty) {
                rows.append(row)
                rowLines.append(line)
            }
            row = []
            field = ""
        }
        while let c = chars.popFirst() {
            if inQuotes {
                if c == "\"" {
                    if chars.first == "\"" {
                        chars.removeFirst()
                        field.append("\"")
                    } else {
                        inQuotes = false
                        afterQuote = true
                    }
                } else {
                    if c == "\n" { line += 1 }
                    field.append(c)
                }
                continue
            }
            switch c {
            case ",":
                row.append(field)
                field = ""
                afterQuote = false
            case "\n", "\r\n":
                endRow()
                afterQuote = false
                line += 1
            case "\r":
                continue
            case "\"" where field.isEmpty && !afterQuote:
                inQuotes = true
            default:
                if afterQuote { throw WheelRecordError(line: line, reason: "text after a closing quote") }
                field.append(c)
            }
        }
        if inQuotes { throw WheelRecordError(line: line, reason: "unterminated quote") }
        if !field.isEmpty || !row.isEmpty { endRow() }
        for (r, n) in zip(rows, rowLines) {
            guard r.count == 3 else { throw WheelRecordError(line: n, reason: "expected 3 fields, found \(r.count)") }
            guard !r[0].isEmpty else { throw WheelRecordError(line: n, reason: "empty path") }
            var size: Int?
            if !r[2].isEmpty {
                guard let s = Int(r[2]), s >= 0 else { throw WheelRecordError(line: n, reason: "bad size '\(r[2])'") }
                size = s
            }
            if !r[1].isEmpty, !r[1].contains("=") {
                throw WheelRecordError(line: n, reason: "hash '\(r[1])' is not algorithm=digest")
            }
            entries.append(Entry(path: r[0], hash: r[1].isEmpty ? nil : r[1], size: size))
        }
        self.entries = entries
    }

    /// The entry for a path.
    public subscript(path: String) -> Entry? { entries.first { $0.path == path } }

    /// CSV text, one `\n`-terminated row per entry; fields quoted only when needed.
    public func serialized() -> String {
        func quote(_ s: String) -> String {
            s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" })
                ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
        }
        return entries.map { e in
            [quote(e.path), quote(e.hash ?? ""), e.size.map(String.init) ?? ""].joined(separator: ",") + "\n"
        }.joined()
    }

    /// `sha256=` + urlsafe base64 of the digest without `=` padding.
    public static func hashField(sha256 digest: some Sequence<UInt8>) -> String {
        "sha256=" + encodeURLSafeBase64(Array(digest))
    }

    static func encodeURLSafeBase64(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func decodeURLSafeBase64(_ text: String) -> [UInt8]? {
        var s = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while s.count % 4 != 0 { s += "=" }
        return Data(base64Encoded: s).map { Array($0) }
    }
}
