import Archive
import Foundation

/// The storage behind `ImageFilesystem`: one compact node per path ever seen (name, parent,
/// first child and next sibling as 32-bit indexes, attributes), and one hash table from
/// (parent, name) to node. Names are Swift strings, stored inline up to 15 UTF-8 bytes, so most
/// nodes allocate nothing. Removed nodes stay in the arrays, marked dead and unreachable.
struct NodeTable {
    struct Node {
        var parent: Int32
        var firstChild: Int32 = -1
        var nextSibling: Int32 = -1
        /// Index into `linkTargets`, -1 for none.
        var link: Int32 = -1
        var name: String
        var size: Int64
        var mode: UInt32
        var uid: UInt32
        var gid: UInt32
        var layer: UInt16
        var kind: FilesystemEntry.Kind
        var alive = true
    }

    struct ChildKey: Hashable {
        var parent: Int32
        var name: String
    }

    static let root: Int32 = 0

    private(set) var nodes: [Node] = [Node(parent: -1, name: "", size: 0, mode: 0o755, uid: 0, gid: 0, layer: 0, kind: .directory)]
    private var index: [ChildKey: Int32] = [:]
    private var linkTargets: [String] = []
    private(set) var liveCount = 1
    /// The directory the previous entry went into: tar streams list a directory's entries
    /// together, so most entries skip the walk from the root.
    private var lastParent: (path: Substring, node: Int32)?

    // MARK: lookups

    func lookup(_ components: [String]) -> Int32? {
        var node = Self.root
        for name in components {
            guard let child = index[ChildKey(parent: node, name: name)] else { return nil }
            node = child
        }
        return node
    }

    func children(of node: Int32) -> [Int32] {
        var result: [Int32] = []
        var child = nodes[Int(node)].firstChild
        while child >= 0 {
            if nodes[Int(child)].alive { result.append(child) }
            child = nodes[Int(child)].nextSibling
        }
        return result
    }

    func isSymlink(_ node: Int32) -> Bool { nodes[Int(node)].kind == .symlink }

    func linkTarget(_ node: Int32) -> String? {
        let link = nodes[Int(node)].link
        return link >= 0 ? linkTargets[Int(link)] : nil
    }

    func path(of node: Int32) -> String {
        var names: [String] = []
        var current = node
        while current > 0 {
            names.append(nodes[Int(current)].name)
            current = nodes[Int(current)].parent
        }
        return "/" + names.reversed().joined(separator: "/")
    }

    func entry(_ node: Int32) -> FilesystemEntry {
        let item = nodes[Int(node)]
        return FilesystemEntry(
            path: path(of: node), kind: item.kind, mode: item.mode, uid: item.uid, gid: item.gid, size: item.size,
            linkTarget: linkTarget(node), layer: Int(item.layer))
    }

    func glob(_ pattern: ArraySlice<String>, from node: Int32, into matches: inout Set<Int32>) {
        guard let first = pattern.first else {
            matches.insert(node)
            return
        }
        let rest = pattern.dropFirst()
        if first == "**" {
            glob(rest, from: node, into: &matches)
            for child in children(of: node) where nodes[Int(child)].kind == .directory {
                glob(pattern, from: child, into: &matches)
            }
            return
        }
        if !first.contains(where: { "*?[".contains($0) }) {
            if let child = index[ChildKey(parent: node, name: first)], nodes[Int(child)].alive {
                glob(rest, from: child, into: &matches)
            }
            return
        }
        for child in children(of: node) where fnmatch(first, nodes[Int(child)].name, FNM_PERIOD) == 0 {
            glob(rest, from: child, into: &matches)
        }
    }

    // MARK: applying a layer's entries

    mutating func apply(_ entry: TarEntry, layer: UInt16) {
        let components = entry.path.split(separator: "/").map(String.init)
        guard let name = components.last else {
            // The layer's root directory entry: its attributes apply to `/`.
            if entry.isDirectory { update(Self.root, with: entry, layer: layer) }
            return
        }
        if let whiteout = Whiteout(entryPath: entry.path) {
            applyWhiteout(whiteout, layer: layer)
            return
        }
        let parentPath = entry.path.utf8.lastIndex(of: UInt8(ascii: "/")).map { entry.path[..<$0] } ?? ""
        let parent: Int32
        if let last = lastParent, last.path == parentPath, nodes[Int(last.node)].alive, nodes[Int(last.node)].kind == .directory {
            parent = last.node
        } else {
            parent = ensureDirectories(components.dropLast(), layer: layer)
            lastParent = (parentPath, parent)
        }
        let key = ChildKey(parent: parent, name: name)
        if let existing = index[key] {
            if nodes[Int(existing)].kind == .directory, entry.isDirectory {
                update(existing, with: entry, layer: layer)
                return
            }
            kill(existing)
        }
        let node = append(name: name, parent: parent, layer: layer, kind: Self.kind(of: entry))
        update(node, with: entry, layer: layer)
    }

    private mutating func applyWhiteout(_ whiteout: Whiteout, layer: UInt16) {
        switch whiteout {
        case .remove(let path):
            let components = path.split(separator: "/").map(String.init)
            // A whiteout hides what lower layers have, not what its own layer adds.
            if let node = lookup(components), node != Self.root, nodes[Int(node)].layer < layer {
                kill(node)
            }
        case .opaque(let directory):
            let components = directory.split(separator: "/").map(String.init)
            let node = ensureDirectories(components[...], layer: layer)
            for child in children(of: node) where nodes[Int(child)].layer < layer {
                kill(child)
            }
        }
    }

    /// The directory at `components`, created (0755, root) where missing; a non-directory in
    /// the way is replaced, as extracting the layer would.
    private mutating func ensureDirectories(_ components: ArraySlice<String>, layer: UInt16) -> Int32 {
        var node = Self.root
        for name in components {
            let key = ChildKey(parent: node, name: name)
            if let child = index[key], nodes[Int(child)].kind == .directory {
                node = child
                continue
            }
            if let child = index[key] { kill(child) }
            node = append(name: name, parent: node, layer: layer, kind: .directory)
            nodes[Int(node)].mode = 0o755
        }
        return node
    }

    private mutating func append(name: String, parent: Int32, layer: UInt16, kind: FilesystemEntry.Kind) -> Int32 {
        let node = Int32(nodes.count)
        var item = Node(parent: parent, name: name, size: 0, mode: 0, uid: 0, gid: 0, layer: layer, kind: kind)
        item.nextSibling = nodes[Int(parent)].firstChild
        nodes.append(item)
        nodes[Int(parent)].firstChild = node
        index[ChildKey(parent: parent, name: name)] = node
        liveCount += 1
        return node
    }

    private mutating func update(_ node: Int32, with entry: TarEntry, layer: UInt16) {
        nodes[Int(node)].mode = entry.mode
        nodes[Int(node)].uid = UInt32(clamping: entry.uid)
        nodes[Int(node)].gid = UInt32(clamping: entry.gid)
        nodes[Int(node)].size = max(0, entry.size)
        nodes[Int(node)].layer = layer
        switch entry.kind {
        case .symlink(let target):
            nodes[Int(node)].link = storeLink(target)
        case .hardLink(let target):
            nodes[Int(node)].link = storeLink("/" + target)
            // The data is the target's: report its size.
            if let source = lookup(target.split(separator: "/").map(String.init)) {
                nodes[Int(node)].size = nodes[Int(source)].size
            }
        default:
            nodes[Int(node)].link = -1
        }
    }

    private mutating func storeLink(_ target: String) -> Int32 {
        linkTargets.append(target)
        return Int32(linkTargets.count - 1)
    }

    /// Marks a node and its subtree dead and unreachable.
    private mutating func kill(_ node: Int32) {
        var stack = [node]
        while let next = stack.popLast() {
            guard nodes[Int(next)].alive else { continue }
            nodes[Int(next)].alive = false
            liveCount -= 1
            index.removeValue(forKey: ChildKey(parent: nodes[Int(next)].parent, name: nodes[Int(next)].name))
            stack.append(contentsOf: children(of: next))
        }
    }

    private static func kind(of entry: TarEntry) -> FilesystemEntry.Kind {
        switch entry.kind {
        case .regular: return .regular
        case .directory: return .directory
        case .symlink: return .symlink
        case .hardLink: return .hardLink
        case .characterDevice: return .characterDevice
        case .blockDevice: return .blockDevice
        case .fifo: return .fifo
        }
    }
}
