/// Collects a layer's entries in any order and writes them to a `LayerWriter` in layer order,
/// adding the parent directories nobody gave.
///
/// Only metadata and data sources are held (memory grows with the number of entries, not with
/// their size); data is read when written. A path given twice keeps the last entry, except that
/// a whiteout and a real entry for the same path are refused.
public struct LayerContents {
    /// Where a regular entry's data comes from when the layer is written.
    public enum Source {
        case none
        case bytes([UInt8])
        /// A host file, read by `LayerWriter.addFile` (size from the file; hard links detected).
        case file(hostPath: String)
        /// Called after the entry's header: must write exactly the entry's size with `writeData`.
        case writer((LayerWriter) throws -> Void)
    }

    private struct Item {
        var entry: TarEntry
        var source: Source
    }

    private var items: [String: Item] = [:]

    public init() {}

    public var count: Int { items.count }

    /// The entry at `path`, if any.
    public func entry(at path: String) -> TarEntry? {
        guard let clean = try? EntryPath.normalize(path) else { return nil }
        return items[clean]?.entry
    }

    /// Adds (or replaces) an entry.
    public mutating func add(_ entry: TarEntry, source: Source = .none) throws {
        var entry = entry
        entry.path = try EntryPath.normalize(entry.path)
        switch (entry.kind, source) {
        case (.regular(let size), .bytes(let bytes)) where size != Int64(bytes.count):
            throw ArchiveError.dataSizeMismatch(path: entry.path, expected: size, actual: Int64(bytes.count))
        case (.regular(let size), .none) where size != 0:
            throw ArchiveError.invalidEntry(path: entry.path, reason: "a regular file of \(size) bytes needs a data source")
        default:
            break
        }
        if case .remove(let target)? = Whiteout(entryPath: entry.path), items[target] != nil {
            throw ArchiveError.invalidEntry(path: entry.path, reason: "the layer also has an entry '\(target)'; remove it or do not white it out")
        }
        let (parent, name) = EntryPath.split(entry.path)
        let whiteout = EntryPath.join(parent, Whiteout.prefix + name)
        if Whiteout(entryPath: entry.path) == nil, items[whiteout] != nil {
            throw ArchiveError.invalidEntry(path: entry.path, reason: "the layer also has its whiteout '\(whiteout)'")
        }
        items[entry.path] = Item(entry: entry, source: source)
    }

    /// A regular file whose data is in memory.
    public mutating func addFile(_ path: String, contents: [UInt8], mode: UInt32 = 0o644, uid: Int = 0, gid: Int = 0) throws {
        try add(.file(path, size: Int64(contents.count), mode: mode, uid: uid, gid: gid), source: .bytes(contents))
    }

    /// `.wh.NAME` for `path`.
    public mutating func addWhiteout(removing path: String) throws {
        try add(try Whiteout.entry(removing: path))
    }

    /// `.wh..wh..opq` in `directory`.
    public mutating func addOpaqueWhiteout(in directory: String) throws {
        try add(try Whiteout.opaqueEntry(in: directory))
    }

    /// Everything under a host directory (see `HostTree.walk`), placed at `imagePath`.
    public mutating func addDirectory(_ hostPath: String, at imagePath: String, adjust: HostTree.Adjust? = nil) throws {
        var collected: [(TarEntry, Source)] = []
        try HostTree.walk(hostPath, at: imagePath, adjust: adjust) { entry, source in
            collected.append((entry, source.map { Source.file(hostPath: $0) } ?? .none))
        }
        for (entry, source) in collected { try add(entry, source: source) }
    }

    /// Entry paths in the order they will be written (without synthesized parents).
    public var sortedPaths: [String] {
        items.keys.sorted(by: LayerPathOrder.areInIncreasingOrder)
    }

    /// Writes every entry in layer order. A parent directory that was not added is written as
    /// `missingParent(path)` (by default mode 0755, root-owned, the writer's mtime).
    public func write(to writer: LayerWriter, missingParent: (String) -> TarEntry = { TarEntry.directory($0) }) throws {
        var openDirectories: [String] = []
        for path in sortedPaths {
            guard let item = items[path] else { continue }
            while let top = openDirectories.last, !path.hasPrefix(top + "/") { openDirectories.removeLast() }
            let parent = EntryPath.split(path).parent
            if !parent.isEmpty && openDirectories.last != parent {
                let have = openDirectories.last.map { $0.split(separator: "/").count } ?? 0
                let components = parent.split(separator: "/")
                for depth in (have + 1)...components.count {
                    let ancestor = components[0..<depth].joined(separator: "/")
                    if let existing = items[ancestor], !existing.entry.isDirectory {
                        throw ArchiveError.invalidEntry(path: path, reason: "its parent '\(ancestor)' is not a directory")
                    }
                    var directory = missingParent(ancestor)
                    directory.path = ancestor
                    directory.kind = .directory
                    try writer.add(directory)
                    openDirectories.append(ancestor)
                }
            }
            switch item.source {
            case .none:
                try writer.add(item.entry)
            case .bytes(let bytes):
                try writer.add(item.entry, data: bytes)
            case .file(let hostPath):
                try writer.addFile(from: hostPath, as: item.entry)
            case .writer(let body):
                try writer.add(item.entry)
                try body(writer)
            }
            if item.entry.isDirectory { openDirectories.append(path) }
        }
    }
}
