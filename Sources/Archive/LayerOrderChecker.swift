/// Enforces layer order on a stream of entries in O(depth) memory: strictly increasing
/// `LayerPathOrder` (so no path twice), parents before children, and never a whiteout and a
/// real entry for the same path.
struct LayerOrderChecker {
    private struct Frame {
        var path: String
        /// Names whited out in this directory; whiteouts sort before the other names.
        var whiteouts: Set<String> = []
    }

    private var previous: String?
    /// The directories enclosing the last entry, the root (`""`) at the bottom.
    private var frames = [Frame(path: "")]
    let requireParents: Bool

    init(requireParents: Bool) {
        self.requireParents = requireParents
    }

    /// Checks `entry` (path already normalized) and records it.
    mutating func admit(_ entry: TarEntry) throws {
        let path = entry.path
        if let previous, LayerPathOrder.compare(previous, path) >= 0 {
            throw ArchiveError.entryOrder(previous: previous, next: path)
        }
        let (parent, name) = EntryPath.split(path)
        while frames.count > 1, let top = frames.last, !path.hasPrefix(top.path + "/") {
            frames.removeLast()
        }
        let parentIsOpen = frames.last?.path == parent
        if requireParents && !parentIsOpen {
            throw ArchiveError.missingParent(path: path, parent: parent)
        }
        if parentIsOpen, let top = frames.indices.last {
            switch Whiteout(entryPath: path) {
            case .remove(let target)?:
                frames[top].whiteouts.insert(EntryPath.split(target).name)
            case .opaque?:
                break
            case nil:
                if frames[top].whiteouts.contains(name) {
                    throw ArchiveError.invalidEntry(path: path, reason: "the layer also has its whiteout '\(EntryPath.join(parent, Whiteout.prefix + name))'; never a whiteout and a real entry for the same path in one layer")
                }
            }
        }
        if entry.isDirectory { frames.append(Frame(path: path)) }
        previous = path
    }
}
