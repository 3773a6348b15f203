import Foundation

/// One subdir of a channel, decoded from its `repodata.json` (CEP 36 / CEP 15).
///
/// `packages` lists `.tar.bz2` files and `packages.conda` lists `.conda` files, each keyed by file
/// name. The records come out with `fn`, `url` and `channel` filled in and `subdir` defaulting to
/// `info.subdir`; a package present in both formats is kept once, as `.conda`; file names listed
/// in `removed` are left out.
public struct Repodata: Sendable, Hashable {
    /// `linux-64`, `noarch`, …
    public var subdir: String
    /// `info.base_url` when the channel serves packages from elsewhere.
    public var baseURL: String?
    /// The channel URL the records were attributed to (no trailing slash).
    public var channel: String
    /// Sorted by file name.
    public var records: [CondaPackageRecord]
    /// File names the channel withdrew.
    public var removed: [String]

    /// Decodes `repodata.json` served from `{channel}/{subdir}/repodata.json`. `subdir` is only
    /// used when the document has no `info.subdir`.
    public init(decoding data: Data, channel: String, subdir fallbackSubdir: String? = nil) throws(RepodataError) {
        let document: Document
        do {
            document = try JSONDecoder().decode(Document.self, from: data)
        } catch let failure as RecordFailure {
            throw .invalidRecord(fileName: failure.fileName, reason: Self.describe(failure.underlying))
        } catch {
            throw .invalidDocument(Self.describe(error))
        }
        guard let subdir = document.info?.subdir ?? fallbackSubdir, !subdir.isEmpty else {
            throw .missingSubdir
        }
        self.subdir = subdir
        self.channel = channel.trimmingTrailingSlashes()
        baseURL = document.info?.baseURL
        removed = document.removed ?? []

        let withdrawn = Set(removed)
        var byStem: [String: CondaPackageRecord] = [:]
        let tarballs = document.packages?.records ?? [:]
        let condas = document.packagesConda?.records ?? [:]
        // `.conda` entries go last so they replace a `.tar.bz2` of the same name-version-build.
        for (fileName, record) in tarballs.sorted(by: { $0.key < $1.key }) + condas.sorted(by: { $0.key < $1.key })
        where !withdrawn.contains(fileName) {
            var record = record
            record.fn = fileName
            if record.subdir.isEmpty { record.subdir = subdir }
            record.channel = self.channel
            record.url = Self.packageURL(fileName: fileName, channel: self.channel, subdir: subdir, baseURL: baseURL)
            byStem[PackageFileName.stem(fileName) ?? fileName] = record
        }
        records = byStem.values.sorted { $0.fn < $1.fn }
    }

    /// `{base_url}/{fn}` when the repodata has a base URL (relative ones resolve against the
    /// repodata's own location), else `{channel}/{subdir}/{fn}`.
    static func packageURL(fileName: String, channel: String, subdir: String, baseURL: String?) -> String {
        let escapedName = fileName.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? fileName
        let subdirURL = "\(channel)/\(subdir)/"
        guard let baseURL, !baseURL.isEmpty else { return subdirURL + escapedName }
        let directory = baseURL.hasSuffix("/") ? baseURL : baseURL + "/"
        if directory.contains("://") { return directory + escapedName }
        if let resolved = URL(string: directory + escapedName, relativeTo: URL(string: subdirURL)) {
            return resolved.absoluteString
        }
        return subdirURL + escapedName
    }

    private static func describe(_ error: any Error) -> String {
        switch error {
        case DecodingError.keyNotFound(let key, let context):
            return "missing '\(key.stringValue)'" + Self.path(context)
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context):
            return context.debugDescription + Self.path(context)
        case DecodingError.dataCorrupted(let context):
            return context.debugDescription + Self.path(context)
        default:
            return "\(error)"
        }
    }

    private static func path(_ context: DecodingError.Context) -> String {
        let keys = context.codingPath.map(\.stringValue).filter { !$0.isEmpty }
        return keys.isEmpty ? "" : " at \(keys.joined(separator: "."))"
    }

    struct Document: Decodable {
        struct Info: Decodable {
            var subdir: String?
            var baseURL: String?
            enum CodingKeys: String, CodingKey {
                case subdir
                case baseURL = "base_url"
            }
        }

        var info: Info?
        var packages: RecordTable?
        var packagesConda: RecordTable?
        var removed: [String]?

        enum CodingKeys: String, CodingKey {
            case info, packages, removed
            case packagesConda = "packages.conda"
        }
    }

    /// A file name → record map that reports which entry failed to decode.
    struct RecordTable: Decodable {
        var records: [String: CondaPackageRecord]

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: FileNameKey.self)
            var records: [String: CondaPackageRecord] = [:]
            for key in container.allKeys {
                do {
                    records[key.stringValue] = try container.decode(CondaPackageRecord.self, forKey: key)
                } catch {
                    throw RecordFailure(fileName: key.stringValue, underlying: error)
                }
            }
            self.records = records
        }
    }

    struct FileNameKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    struct RecordFailure: Error {
        var fileName: String
        var underlying: any Error
    }
}

/// Why a `repodata.json` could not be used.
public enum RepodataError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Not JSON, or not shaped like repodata.
    case invalidDocument(String)
    /// One package entry is malformed.
    case invalidRecord(fileName: String, reason: String)
    /// Neither `info.subdir` nor a fallback subdir was given.
    case missingSubdir

    public var description: String {
        switch self {
        case .invalidDocument(let reason): return "repodata.json is not valid: \(reason)"
        case .invalidRecord(let fileName, let reason): return "repodata.json entry \(fileName) is not valid: \(reason)"
        case .missingSubdir: return "repodata.json has no info.subdir and none was given"
        }
    }
}
