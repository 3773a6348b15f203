import Archive
import Foundation
import OCI

/// The merged filesystem of an image's layers: each layer's tar streamed once, its whiteouts
/// (`.wh.NAME`, `.wh..wh..opq`) applied in layer order, and the result kept as an index of
/// compact nodes — path, type, mode, owner, size, link target and the layer holding it, never
/// file contents. A file's bytes are read by streaming its layer again up to the entry.
///
/// Queries take image paths (`/usr/bin/python3`); they do not follow symbolic links unless
/// they say so (`resolve`, `readFile`). Safe to use from several threads.
public final class ImageFilesystem: @unchecked Sendable {
    /// A layer applied to the view: where its blob is in the content store.
    public struct Layer: Sendable, Hashable {
        public var descriptor: Descriptor
        public var path: String

        public init(descriptor: Descriptor, path: String) {
            self.descriptor = descriptor
            self.path = path
        }
    }

    private let lock = NSLock()
    private var table = NodeTable()
    private var layerList: [Layer] = []

    public init() {}

    /// The layers applied so far, bottom first.
    public var layers: [Layer] { lock.withLock { layerList } }

    /// Number of live paths (the root included).
    public var count: Int { lock.withLock { table.liveCount } }

    // MARK: building

    /// Streams the layer's tar (any compression libarchive reads) and applies it on top of what
    /// is there. Blocking: call it off Swift's cooperative pool (`BlockingWork.run`).
    public func apply(_ layer: Layer) throws {
        let reader = try TarReader(path: layer.path, options: TarReader.Options(formats: [.tar]))
        let index: Int = lock.withLock {
            layerList.append(layer)
            return layerList.count - 1
        }
        guard index <= Int(UInt16.max) else {
            throw BuildError.unusableBase(base: layer.descriptor.digest.description, reason: "more than 65535 layers")
        }
        let layerNumber = UInt16(index)
        while let entry = try reader.next() {
            lock.withLock { table.apply(entry, layer: layerNumber) }
        }
    }

    /// Rebuilds a view over the same layers from entries as `forEachEntry` gives them (parents
    /// before children), without streaming the layers. `entries` calls its argument once per
    /// entry. Blocking.
    public func restore(layers: [Layer], entries: ((FilesystemEntry) -> Void) throws -> Void) rethrows {
        try lock.withLock {
            table = NodeTable()
            layerList = layers
            try entries { entry in
                table.apply(Self.tarEntry(entry), layer: UInt16(clamping: entry.layer))
            }
        }
    }

    /// Calls `body` with every live path, the root first, parents before children, without
    /// collecting them.
    public func forEachEntry(_ body: (FilesystemEntry) throws -> Void) rethrows {
        try lock.withLock {
            var stack: [Int32] = [NodeTable.root]
            while let next = stack.popLast() {
                try body(table.entry(next))
                stack.append(contentsOf: table.children(of: next))
            }
        }
    }

    /// Every live path, parents before children (`forEachEntry` collected).
    public func snapshot() -> [FilesystemEntry] {
        var entries: [FilesystemEntry] = []
        forEachEntry { entries.append($0) }
        return entries
    }

    private static func tarEntry(_ entry: FilesystemEntry) -> TarEntry {
        let path = String(entry.path.drop(while: { $0 == "/" }))
        let kind: TarEntry.Kind
        switch entry.kind {
        case .regular: kind = .regular(size: entry.size)
        case .directory: kind = .directory
        case .symlink: kind = .symlink(target: entry.linkTarget ?? "")
        case .hardLink: kind = .hardLink(target: String((entry.linkTarget ?? "").drop(while: { $0 == "/" })))
        case .characterDevice: kind = .characterDevice(major: 0, minor: 0)
        case .blockDevice: kind = .blockDevice(major: 0, minor: 0)
        case .fifo: kind = .fifo
        }
        return TarEntry(path: path, kind: kind, mode: entry.mode, uid: Int(entry.uid), gid: Int(entry.gid))
    }

    // MARK: queries

    /// Whether the path exists (a symbolic link counts, whatever it points to).
    public func exists(_ path: String) -> Bool { entry(path) != nil }

    /// The entry at the path, without following a final symbolic link.
    public func entry(_ path: String) -> FilesystemEntry? {
        lock.withLock {
            table.lookup(Self.components(path)).map { table.entry($0) }
        }
    }

    /// The entries directly inside a directory, sorted by name; empty when it is not one.
    public func children(_ directory: String) -> [FilesystemEntry] {
        lock.withLock {
            guard let node = table.lookup(Self.components(directory)) else { return [] }
            return table.children(of: node).map { table.entry($0) }.sorted { $0.path < $1.path }
        }
    }

    /// The path with every symbolic link in it followed, inside the image (a link cannot climb
    /// above `/`). The last component is followed too unless `followLast` is false. Components
    /// that do not exist are kept as written. Nil after 40 links (a loop).
    public func resolve(_ path: String, followLast: Bool = true) -> String? {
        lock.withLock {
            var pending = Self.components(path)
            var resolved: [String] = []
            var hops = 0
            pending.reverse()
            while let name = pending.popLast() {
                if name == "." || name.isEmpty { continue }
                if name == ".." {
                    _ = resolved.popLast()
                    continue
                }
                let candidate = resolved + [name]
                guard let node = table.lookup(candidate), table.isSymlink(node), followLast || !pending.isEmpty,
                      let target = table.linkTarget(node)
                else {
                    resolved = candidate
                    continue
                }
                hops += 1
                if hops > 40 { return nil }
                if target.hasPrefix("/") { resolved = [] }
                for component in target.split(separator: "/").reversed() { pending.append(String(component)) }
            }
            return "/" + resolved.joined(separator: "/")
        }
    }

    /// Image paths matching a glob: `*`, `?` and `[...]` within a component, `**` for any
    /// number of directories (`/opt/conda/lib/python3.*/site-packages/*.dist-info`). Sorted.
    public func glob(_ pattern: String) -> [String] {
        let patternComponents = Self.components(pattern)
        return lock.withLock {
            var matches = Set<Int32>()
            table.glob(patternComponents[...], from: NodeTable.root, into: &matches)
            return matches.map { table.path(of: $0) }.sorted()
        }
    }

    /// Every live path below a directory (itself excluded), depth first.
    public func walk(_ directory: String = "/") -> [FilesystemEntry] {
        lock.withLock {
            guard let node = table.lookup(Self.components(directory)) else { return [] }
            var result: [FilesystemEntry] = []
            var stack = table.children(of: node)
            while let next = stack.popLast() {
                result.append(table.entry(next))
                stack.append(contentsOf: table.children(of: next))
            }
            return result.sorted { $0.path < $1.path }
        }
    }

    // MARK: file contents

    /// A regular file's bytes (symbolic links followed), read by streaming its layer up to the
    /// entry. Throws beyond `limit` bytes. Blocking.
    public func readFile(_ path: String, limit: Int = 64 << 20) throws -> [UInt8] {
        var bytes: [UInt8] = []
        try streamFile(path) { chunk in
            guard bytes.count + chunk.count <= limit else {
                throw BuildError.unusableBase(base: path, reason: "the file is larger than \(limit) bytes")
            }
            bytes.append(contentsOf: chunk)
        }
        return bytes
    }

    /// Several files in one pass per layer (`RECORD`s, `conda-meta/*.json`): path → bytes, for
    /// the paths that are regular files. Blocking.
    public func readFiles(_ paths: [String], limit: Int = 64 << 20) throws -> [String: [UInt8]] {
        var wanted: [Int: [String: String]] = [:]  // layer → tar path → requested path
        for path in paths {
            guard let (layer, tarPath) = try locate(path) else { continue }
            wanted[layer, default: [:]][tarPath] = path
        }
        var result: [String: [UInt8]] = [:]
        for (layer, files) in wanted.sorted(by: { $0.key < $1.key }) {
            let reader = try TarReader(path: layerPath(layer), options: TarReader.Options(formats: [.tar]))
            var remaining = files
            while !remaining.isEmpty, let entry = try reader.next() {
                guard let requested = remaining.removeValue(forKey: entry.path) else { continue }
                result[requested] = try reader.readAll(limit: limit)
            }
        }
        return result
    }

    /// Calls `body` with successive chunks of a regular file (symbolic links followed). Blocking.
    public func streamFile(_ path: String, _ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        guard let (layer, tarPath) = try locate(path) else { throw BuildError.noSuchFile(path: path) }
        let reader = try TarReader(path: layerPath(layer), options: TarReader.Options(formats: [.tar]))
        while let entry = try reader.next() {
            if entry.path == tarPath {
                try reader.forEachChunk(body)
                return
            }
        }
        throw BuildError.noSuchFile(path: path)
    }

    /// The layer and tar path holding a regular file's data.
    private func locate(_ path: String) throws -> (Int, String)? {
        guard let resolved = resolve(path), let found = entry(resolved) else { return nil }
        switch found.kind {
        case .regular:
            return (found.layer, String(resolved.dropFirst()))
        case .hardLink:
            guard let target = found.linkTarget else { return nil }
            // The data is stored under the target's path in the link's layer; a link to a file
            // of a lower layer (which writers should not produce) reads it from there.
            let targetLayer = entry(target)?.layer ?? found.layer
            return (min(targetLayer, found.layer), String(target.dropFirst()))
        default:
            throw BuildError.notAFile(path: path)
        }
    }

    private func layerPath(_ index: Int) throws -> String {
        let layers = self.layers
        guard layers.indices.contains(index) else { throw BuildError.noSuchFile(path: "layer \(index)") }
        let layer = layers[index]
        guard FileManager.default.fileExists(atPath: layer.path) else { throw BuildError.missingLayer(layer.descriptor.digest) }
        return layer.path
    }

    /// `/a//b/./c/` → `[a, b, c]`; `..` climbs, never above the root.
    static func components(_ path: String) -> [String] {
        var result: [String] = []
        for part in path.split(separator: "/") {
            if part == "." { continue }
            if part == ".." {
                _ = result.popLast()
                continue
            }
            result.append(String(part))
        }
        return result
    }
}
