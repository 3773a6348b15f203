import Foundation
import OCI

/// The base filesystem view saved in the content store (`cache/views/<base>.tsv`), so that a
/// rebuild on the same base does not stream its layers again: one line per path with its
/// attributes and layer, names percent-encoded where they hold `%`, tabs or line breaks.
struct FilesystemSnapshot {
    static let header = "smimg.filesystem/1"

    let store: ContentStore

    func path(for base: Digest) -> String { store.root + "/cache/views/" + base.hex + ".tsv" }

    /// Whether a view is saved for the base.
    func exists(base: Digest) -> Bool { FileManager.default.fileExists(atPath: path(for: base)) }

    /// Feeds the saved entries for the base to `body`, line by line; false when there are none
    /// or they do not parse (what was fed is then incomplete and must be rebuilt).
    func load(base: Digest, into body: (FilesystemEntry) -> Void) -> Bool {
        guard let data = FileManager.default.contents(atPath: path(for: base)) else { return false }
        return data.withUnsafeBytes { (bytes: UnsafeRawBufferPointer) -> Bool in
            var lines = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: true).makeIterator()
            guard let first = lines.next(), first.elementsEqual(Self.header.utf8) else { return false }
            while let line = lines.next() {
                guard let entry = Self.parse(String(decoding: line, as: UTF8.self)) else { return false }
                body(entry)
            }
            return true
        }
    }

    private static func parse(_ line: String) -> FilesystemEntry? {
        let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
        guard fields.count == 8, let kindValue = UInt8(fields[1]), let kind = FilesystemEntry.Kind(rawValue: kindValue),
              let mode = UInt32(fields[2], radix: 8), let uid = UInt32(fields[3]), let gid = UInt32(fields[4]),
              let size = Int64(fields[5]), let layer = Int(fields[6]),
              let path = decode(fields[0]), let link = decode(fields[7])
        else { return nil }
        return FilesystemEntry(
            path: path, kind: kind, mode: mode, uid: uid, gid: gid, size: size,
            linkTarget: kind == .symlink || kind == .hardLink ? link : nil, layer: layer)
    }

    /// Saves the view's entries, written in 1 MiB pieces to a temporary file, then renamed.
    func save(_ filesystem: ImageFilesystem, base: Digest) throws {
        let final = path(for: base)
        let directory = (final as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let temporary = directory + "/.tmp-" + UUID().uuidString
        guard FileManager.default.createFile(atPath: temporary, contents: nil),
              let handle = FileHandle(forWritingAtPath: temporary)
        else { throw BuildError.storeFailed(path: temporary, reason: "cannot create the file") }
        do {
            var pending = Self.header + "\n"
            try filesystem.forEachEntry { entry in
                let fields = [
                    Self.encode(entry.path), String(entry.kind.rawValue), String(entry.mode, radix: 8), String(entry.uid),
                    String(entry.gid), String(entry.size), String(entry.layer), Self.encode(entry.linkTarget ?? ""),
                ]
                pending += fields.joined(separator: "\t") + "\n"
                if pending.utf8.count >= 1 << 20 {
                    try handle.write(contentsOf: Data(pending.utf8))
                    pending = ""
                }
            }
            try handle.write(contentsOf: Data(pending.utf8))
            try handle.close()
        } catch {
            try? handle.close()
            unlink(temporary)
            throw BuildError.storeFailed(path: temporary, reason: String(describing: error))
        }
        guard rename(temporary, final) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw BuildError.storeFailed(path: final, reason: reason)
        }
    }

    static func encode(_ text: String) -> String {
        guard text.contains(where: { $0 == "%" || $0 == "\t" || $0 == "\n" || $0 == "\r" }) else { return text }
        var result = ""
        for character in text {
            switch character {
            case "%": result += "%25"
            case "\t": result += "%09"
            case "\n": result += "%0A"
            case "\r": result += "%0D"
            default: result.append(character)
            }
        }
        return result
    }

    static func decode<S: StringProtocol>(_ text: S) -> String? {
        guard text.contains("%") else { return String(text) }
        return String(text).removingPercentEncoding
    }
}
