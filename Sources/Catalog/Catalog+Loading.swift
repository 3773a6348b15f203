import Foundation

/// Loading: the built-in catalog (`base-images.json`, embedded in the binary), optionally
/// combined with a custom catalog file from `--catalog FILE` or `SMIMG_CATALOG`.
extension Catalog {
    /// Environment variable naming a custom catalog file; `--catalog FILE` takes precedence.
    public static let environmentVariable = "SMIMG_CATALOG"

    /// The catalog built into smimg.
    public static func builtIn() throws(CatalogError) -> Catalog {
        let origin = "built-in"
        return try Catalog(document: decode(Data(EmbeddedCatalog.json.utf8), origin: origin), origin: origin)
    }

    /// The built-in catalog combined with the custom one named by `customFile`, else by
    /// `SMIMG_CATALOG` in `environment`, else the built-in catalog alone. A custom catalog merges
    /// into the built-in one unless it says `"mode": "replace"`.
    public static func load(
        customFile: String? = nil, environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(CatalogError) -> Catalog {
        let builtIn = try builtIn()
        let path = customFile ?? environment[environmentVariable].flatMap { $0.isEmpty ? nil : $0 }
        guard let path else { return builtIn }
        guard FileManager.default.fileExists(atPath: path) else {
            throw .unreadableCatalog(path: path, reason: "no such file")
        }
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            let reason = (error as NSError).localizedDescription
            throw .unreadableCatalog(path: path, reason: reason.hasSuffix(".") ? String(reason.dropLast()) : reason)
        }
        return try builtIn.applying(decode(data, origin: path), origin: path)
    }

    /// This catalog with a custom one merged in, or replaced by it (`"mode": "replace"`).
    public func applying(_ custom: CatalogDocument, origin customOrigin: String) throws(CatalogError) -> Catalog {
        switch custom.mode ?? .merge {
        case .replace:
            return try Catalog(document: custom, origin: customOrigin)
        case .merge:
            return try Catalog(document: document.merged(with: custom), origin: "\(origin) + \(customOrigin) (merged)")
        }
    }

    /// Parses catalog JSON; a syntax or type error names where in the document it is.
    public static func decode(_ data: Data, origin: String) throws(CatalogError) -> CatalogDocument {
        do {
            return try JSONDecoder().decode(CatalogDocument.self, from: data)
        } catch let error as DecodingError {
            throw .invalidCatalogJSON(origin: origin, reason: describe(error))
        } catch {
            throw .invalidCatalogJSON(origin: origin, reason: String(describing: error))
        }
    }

    private static func describe(_ error: DecodingError) -> String {
        func path(_ codingPath: [any CodingKey]) -> String {
            let text = codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
            return text.isEmpty ? "the top level" : text
        }
        switch error {
        case .typeMismatch(let type, let context):
            return "at \(path(context.codingPath)): expected \(readable(type))"
        case .valueNotFound(let type, let context):
            return "at \(path(context.codingPath)): expected \(readable(type)), found null"
        case .keyNotFound(let key, let context):
            return "at \(path(context.codingPath)): missing \(key.stringValue)"
        case .dataCorrupted(let context):
            let underlying = (context.underlyingError as NSError?)?.userInfo[NSDebugDescriptionErrorKey] as? String
            return "at \(path(context.codingPath)): \(underlying ?? context.debugDescription)"
        @unknown default:
            return String(describing: error)
        }
    }

    private static func readable(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: return "a string"
        case is [String].Type: return "a list of strings"
        default:
            let name = String(describing: type)
            if name.hasPrefix("Dictionary") { return "an object" }
            if name.hasPrefix("Array") { return "a list" }
            return "a \(name.split(separator: ".").last.map(String.init) ?? name) object"
        }
    }
}
