import Archive
import Foundation
import OCI
import Python

/// What installing one wheel put into the layer.
public struct InstalledDistribution: Sendable, Hashable {
    public var name: String
    public var version: String
    /// The `.dist-info` directory's image path.
    public var distInfo: String
    /// Every file written, as image paths.
    public var files: [String]
}

/// Installs a wheel into a layer as pip would (binary distribution format, PEP 427/491):
/// the root into purelib or platlib, `.data/<key>/` into the scheme's directories, `#!python`
/// scripts pointed at the interpreter, console and GUI launchers from `entry_points.txt`,
/// `INSTALLER` (`pip`, so pip manages the result), `REQUESTED`, `direct_url.json` for URL and
/// file installs, and a RECORD listing every file with its hash and size.
///
/// Every file is checked against the wheel's RECORD. Small files are read into memory; larger
/// ones are streamed from the wheel into the layer when it is written (checked as they stream),
/// so memory does not grow with the wheel and nothing is extracted to disk. `.pyc` files are
/// not generated (Python writes them on first import, or not at all on a read-only image).
public struct WheelInstaller: Sendable {
    public let scheme: InstallScheme
    public let inMemoryFileLimit: Int

    public init(scheme: InstallScheme, inMemoryFileLimit: Int = 256 << 10) {
        self.scheme = scheme
        self.inMemoryFileLimit = inMemoryFileLimit
    }

    public func install(_ wheel: WheelArchive, as resolved: ResolvedWheel, into contents: inout LayerContents) throws -> InstalledDistribution {
        let wheelName = wheel.filename.filename
        let site = wheel.rootIsPurelib ? scheme.purelib : scheme.platlib
        let project = wheel.metadata.name
        let entryPointNames = Set(wheel.entryPoints.map(\.name))
        var rows: [WheelRecord.Entry] = []
        var files: [String] = []

        func add(_ imagePath: String, bytes: [UInt8], mode: UInt32) throws {
            try contents.addFile(String(imagePath.dropFirst()), contents: bytes, mode: mode)
            rows.append(WheelRecord.Entry(path: Self.relative(imagePath, to: site), sha256: Self.hexBytes(DigestHasher.digest(of: bytes).hex), size: bytes.count))
            files.append(imagePath)
        }

        try wheel.forEachFile { entry, reader in
            let name = entry.path
            guard Self.isSafe(name) else { throw PipError.unsafePath(wheel: wheelName, path: name) }
            if name == wheel.distInfo + "/RECORD" || name == wheel.distInfo + "/RECORD.jws" || name == wheel.distInfo + "/RECORD.p7s" {
                return try reader.skipData()
            }
            let components = name.split(separator: "/").map(String.init)
            if components.contains("__pycache__") && name.hasSuffix(".pyc") { return try reader.skipData() }
            var destination = site + "/" + name
            var isScript = false
            if components.first == wheel.dataDirectory {
                guard components.count >= 3, let directory = scheme.directory(for: components[1], project: project) else {
                    throw PipError.badWheel(wheel: wheelName, reason: "\(name): unknown .data directory '\(components.count > 1 ? components[1] : "")' (expected purelib, platlib, scripts, headers or data)")
                }
                destination = directory + "/" + components[2...].joined(separator: "/")
                isScript = components[1] == "scripts"
                if isScript, entryPointNames.contains(components.last ?? "") { return try reader.skipData() }
            }
            guard let row = wheel.record[name], let expected = row.digest else {
                throw PipError.badWheel(wheel: wheelName, reason: "\(name) has no sha256 hash in RECORD")
            }
            guard row.algorithm == "sha256" else {
                throw PipError.badWheel(wheel: wheelName, reason: "\(name) is hashed with \(row.algorithm ?? "?") in RECORD; only sha256 is checked")
            }
            let executable = entry.mode & 0o111 != 0
            let mode: UInt32 = executable ? 0o755 : 0o644
            guard case .regular(let size) = entry.kind else { return try reader.skipData() }
            if isScript || size <= Int64(inMemoryFileLimit) {
                var bytes = try reader.readAll(limit: isScript ? 64 << 20 : inMemoryFileLimit)
                guard Self.hexBytes(DigestHasher.digest(of: bytes).hex) == expected else {
                    throw PipError.hashMismatch(wheel: wheelName, path: name)
                }
                // pip rewrites the `#!python` line and keeps the zip's mode bits.
                if isScript { bytes = Self.rewritingShebang(bytes, interpreter: scheme.interpreter) }
                try add(destination, bytes: bytes, mode: mode)
            } else {
                try reader.skipData()
                let source = wheel
                let file = TarEntry.file(String(destination.dropFirst()), size: size, mode: mode)
                try contents.add(file, source: .writer { writer in
                    var hasher = DigestHasher()
                    try source.streamFile(name) { chunk in
                        hasher.update(chunk)
                        try writer.writeData(chunk)
                    }
                    guard Self.hexBytes(hasher.finalize().hex) == expected, hasher.byteCount == size else {
                        throw PipError.hashMismatch(wheel: wheelName, path: name)
                    }
                })
                rows.append(WheelRecord.Entry(path: Self.relative(destination, to: site), hash: row.hash, size: Int(size)))
                files.append(destination)
            }
        }

        for entryPoint in wheel.entryPoints {
            try add(scheme.scripts + "/" + entryPoint.name, bytes: Array(entryPoint.launcher(interpreter: scheme.interpreter).utf8), mode: 0o755)
        }
        let distInfo = site + "/" + wheel.distInfo
        try add(distInfo + "/INSTALLER", bytes: Array("pip\n".utf8), mode: 0o644)
        if resolved.requested { try add(distInfo + "/REQUESTED", bytes: [], mode: 0o644) }
        if resolved.direct { try add(distInfo + "/direct_url.json", bytes: Array(Self.directURL(resolved).utf8), mode: 0o644) }
        rows.sort { $0.path < $1.path }
        rows.append(WheelRecord.Entry(path: wheel.distInfo + "/RECORD"))
        let recordPath = distInfo + "/RECORD"
        // pip writes RECORD with Python's csv module, whose rows end in CRLF.
        let record = WheelRecord(entries: rows).serialized().replacingOccurrences(of: "\n", with: "\r\n")
        try contents.addFile(String(recordPath.dropFirst()), contents: Array(record.utf8))
        files.append(recordPath)
        return InstalledDistribution(name: project, version: wheel.metadata.version.description, distInfo: distInfo, files: files.sorted())
    }

    /// `{"archive_info": {"hash": "sha256=…", "hashes": {"sha256": "…"}}, "url": "…"}`, as pip writes.
    static func directURL(_ wheel: ResolvedWheel) -> String {
        let url = wheel.url.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
        return "{\"archive_info\": {\"hash\": \"sha256=\(wheel.sha256)\", \"hashes\": {\"sha256\": \"\(wheel.sha256)\"}}, \"url\": \"\(url)\"}"
    }

    /// Replaces a first line `#!python` (or `#!pythonw`, with arguments) by the interpreter's shebang.
    static func rewritingShebang(_ bytes: [UInt8], interpreter: String) -> [UInt8] {
        let prefix = Array("#!python".utf8)
        guard bytes.starts(with: prefix) else { return bytes }
        let end = bytes.firstIndex(of: 0x0A).map { $0 + 1 } ?? bytes.count
        return Array(EntryPoint.shebang(interpreter).utf8) + bytes[end...]
    }

    /// A zip member name that stays inside the scheme: relative, no `..`, no empty name.
    static func isSafe(_ name: String) -> Bool {
        guard !name.isEmpty, !name.hasPrefix("/"), !name.contains("\\"), !name.contains("\0") else { return false }
        return !name.split(separator: "/", omittingEmptySubsequences: false).contains("..")
    }

    /// `path` relative to `directory`, with `..` where it lies outside (RECORD's form).
    static func relative(_ path: String, to directory: String) -> String {
        let target = path.split(separator: "/")
        let base = directory.split(separator: "/")
        var common = 0
        while common < min(target.count, base.count), target[common] == base[common] { common += 1 }
        return (Array(repeating: "..", count: base.count - common) + target[common...].map(String.init)).joined(separator: "/")
    }

    static func hexBytes(_ hex: String) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(hex.utf8.count / 2)
        var iterator = hex.utf8.makeIterator()
        while let high = iterator.next(), let low = iterator.next() {
            func value(_ c: UInt8) -> UInt8 { c >= 0x61 ? c - 0x61 + 10 : (c >= 0x41 ? c - 0x41 + 10 : c - 0x30) }
            bytes.append(value(high) << 4 | value(low))
        }
        return bytes
    }
}
