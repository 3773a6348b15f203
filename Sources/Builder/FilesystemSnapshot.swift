import Foundation
import OCI

/// The base filesystem view saved in the content store (`cache/views/<base>.tsv`), so that a
/// rebuild on the same base does not stream its layers again: one line per path with its
/// attributes and layer, names percent-encoded where they hold `%`, tabs or line breaks.
struct FilesystemSnapshot {
    static let header = "smimg.filesystem/1"

    let store: ContentStore

    func path(for base: Digest) -> String { store.root + "/cache/views/" + base.hex + ".tsv" }

    /// The saved entries for the base, nil when there are none (or they do not parse).
    func load(base: Digest) -> [FilesystemEntry]? {
        guard let data = FileManager.default.contents(atPath: path(for: base)) else { return nil }
        let text = String(decoding: data, as: UTF8.self)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: true).makeIterator()
        guard lines.next() == Substring(Self.header) else { return nil }
        var entries: [FilesystemEntry] = []
        while let line = lines.next() {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard fields.count == 8, let kindValue = UInt8(fields[1]), let kind = FilesystemEntry.Kind(rawValue: kindValue),
                  let mode = UInt32(fields[2], radix: 8), let uid = UInt32(fields[3]), let gid = UInt32(fields[4]),
                  let size = Int64(fields[5]), let layer = Int(fields[6]),
                  let path = Self.decode(fields[0]), let link = Self.decode(fields[7])
            else { return nil }
            entries.append(FilesystemEntry(
                path: path, kind: kind, mode: mode, uid: uid, gid: gid, size: size,
                linkTarget: kind == .symlink || kind == .hardLink ? link : nil, layer: layer))
        }
        return entries
    }

    /// Saves the entries (temporary file, then rename).
    func save(_ entries: [FilesystemEntry], base: Digest) throws {
        var text = Self.header + "\n"
        for entry in entries {
            let fields = [
                Self.encode(entry.path), String(entry.kind.rawValue), String(entry.mode, radix: 8), String(entry.uid),
                String(entry.gid), String(entry.size), String(entry.layer), Self.encode(entry.linkTarget ?? ""),
            ]
            text += fields.joined(separator: "\t") + "\n"
        }
        let final = path(for: base)
        let directory = (final as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let temporary = directory + "/.tmp-" + UUID().uuidString
        guard FileManager.default.createFile(atPath: temporary, contents: Data(text.utf8)) else {
            throw BuildError.storeFailed(path: temporary, reason: "cannot create the file")
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
