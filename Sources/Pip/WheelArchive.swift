import Archive
import Foundation
import Python

/// A `.whl` file (a zip), read without extracting it: its `.dist-info` (`WHEEL`, `METADATA`,
/// `RECORD`, `entry_points.txt`) on opening, its files streamed on demand.
public struct WheelArchive: Sendable {
    public let path: String
    public let filename: WheelFilename
    /// `torch-2.1.0.dist-info`.
    public let distInfo: String
    /// `torch-2.1.0.data`.
    public let dataDirectory: String
    public let rootIsPurelib: Bool
    public let metadata: CoreMetadata
    /// The wheel's RECORD rows by path.
    public let record: [String: WheelRecord.Entry]
    public let entryPoints: [EntryPoint]

    static let metadataLimit = 64 << 20

    /// Opens the wheel at `path`; `filename` is its name (`path` may be a content-store file).
    public init(path: String, filename: String) throws {
        self.path = path
        do {
            self.filename = try WheelFilename(filename)
        } catch {
            throw PipError.badWheel(wheel: filename, reason: "\(error)")
        }
        var distInfos = Set<String>()
        var files: [String: [UInt8]] = [:]
        let wanted = ["WHEEL", "METADATA", "RECORD", "entry_points.txt"]
        let reader = try Self.reader(path, wheel: filename)
        while let entry = try reader.next() {
            let parts = entry.path.split(separator: "/", maxSplits: 1)
            if let top = parts.first, top.hasSuffix(".dist-info") {
                distInfos.insert(String(top))
                if parts.count == 2, wanted.contains(String(parts[1])) {
                    files[entry.path] = try reader.readAll(limit: Self.metadataLimit)
                    continue
                }
            }
            try reader.skipData()
        }
        let expected = Self.distInfoName(self.filename)
        let project = self.filename.normalizedName
        guard let found = distInfos.first(where: { ProjectName.normalize(Self.projectPart($0)) == project })
            ?? (distInfos.count == 1 ? distInfos.first : nil)
        else {
            throw PipError.badWheel(wheel: filename, reason: "no \(expected) directory (found: \(distInfos.sorted().joined(separator: ", ")))")
        }
        let distInfo = found
        self.distInfo = found
        dataDirectory = String(distInfo.dropLast(".dist-info".count)) + ".data"
        func text(_ name: String) -> String? { files[distInfo + "/" + name].map { String(decoding: $0, as: UTF8.self) } }
        guard let wheelText = text("WHEEL") else { throw PipError.badWheel(wheel: filename, reason: "\(distInfo)/WHEEL is missing") }
        let fields = Self.headerFields(wheelText)
        if let version = fields["wheel-version"], let major = Int(version.split(separator: ".").first ?? ""), major > 1 {
            throw PipError.badWheel(wheel: filename, reason: "Wheel-Version \(version) is newer than this installer supports (1.x)")
        }
        rootIsPurelib = fields["root-is-purelib"]?.lowercased() == "true"
        guard let metadataText = text("METADATA") else { throw PipError.badWheel(wheel: filename, reason: "\(distInfo)/METADATA is missing") }
        do {
            metadata = try CoreMetadata(metadataText)
        } catch {
            throw PipError.badWheel(wheel: filename, reason: "\(distInfo)/METADATA: \(error)")
        }
        guard let recordText = text("RECORD") else {
            throw PipError.badWheel(wheel: filename, reason: "\(distInfo)/RECORD is missing, so its files cannot be verified")
        }
        do {
            record = Dictionary(try WheelRecord(recordText).entries.map { ($0.path, $0) }, uniquingKeysWith: { first, _ in first })
        } catch {
            throw PipError.badWheel(wheel: filename, reason: "\(distInfo)/RECORD: \(error)")
        }
        entryPoints = text("entry_points.txt").map(EntryPoint.scripts(in:)) ?? []
    }

    /// Calls `body` with every file entry and the reader positioned at its data.
    public func forEachFile(_ body: (TarEntry, TarReader) throws -> Void) throws {
        let reader = try Self.reader(path, wheel: filename.filename)
        while let entry = try reader.next() {
            guard entry.isRegular else {
                try reader.skipData()
                continue
            }
            try body(entry, reader)
        }
    }

    /// Streams one file's data (for files too large to hold): reopens the zip and skips to it.
    public func streamFile(_ name: String, _ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        let reader = try Self.reader(path, wheel: filename.filename)
        while let entry = try reader.next() {
            if entry.path == name {
                try reader.forEachChunk(body)
                return
            }
            try reader.skipData()
        }
        throw PipError.badWheel(wheel: filename.filename, reason: "\(name) disappeared from the file while installing")
    }

    private static func reader(_ path: String, wheel: String) throws -> TarReader {
        do {
            return try TarReader(path: path, options: .init(formats: [.zip]))
        } catch {
            throw PipError.badWheel(wheel: wheel, reason: "cannot read it as a zip file (\(error))")
        }
    }

    static func distInfoName(_ filename: WheelFilename) -> String {
        "\(ProjectName.wheelForm(filename.name))-\(filename.version).dist-info"
    }

    /// `Foo_Bar-1.0.dist-info` → `Foo_Bar`.
    static func projectPart(_ directory: String) -> String {
        let stem = directory.hasSuffix(".dist-info") ? String(directory.dropLast(".dist-info".count)) : directory
        guard let dash = stem.lastIndex(of: "-") else { return stem }
        return String(stem[..<dash])
    }

    /// `Key: value` lines, keys lowercased.
    static func headerFields(_ text: String) -> [String: String] {
        var fields: [String: String] = [:]
        for line in text.split(whereSeparator: \.isNewline) {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let key = line[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            if fields[key] == nil { fields[key] = value }
        }
        return fields
    }
}
