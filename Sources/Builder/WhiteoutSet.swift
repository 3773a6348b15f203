import Archive

/// The fewest whiteouts that remove a set of image paths: paths that do not exist are skipped,
/// as are paths the layer itself writes again (a layer never holds a whiteout and an entry for
/// one path), and a directory whose every child goes (and that the layer adds nothing to) is
/// removed as a whole — one whiteout instead of one per file — unless it is `protected` (a
/// site-packages or bin directory stays, as pip leaves it, even when emptied).
enum WhiteoutSet {
    static func minimal(
        removing paths: [String], from filesystem: ImageFilesystem, keeping contents: LayerContents, protected: Set<String> = []
    ) -> [String] {
        var removed = Set<String>()
        for path in paths {
            let clean = "/" + ImageFilesystem.components(path).joined(separator: "/")
            guard clean != "/", filesystem.exists(clean), contents.entry(at: String(clean.dropFirst())) == nil else { continue }
            removed.insert(clean)
        }
        var written = Set<String>()
        for path in contents.sortedPaths {
            var ancestor = parent("/" + path)
            while ancestor != "/", written.insert(ancestor).inserted { ancestor = parent(ancestor) }
        }
        // Climb: a parent all of whose children are removed is removed itself.
        var frontier = Set(removed.map(parent))
        while !frontier.isEmpty {
            var next = Set<String>()
            for directory in frontier where directory != "/" && !removed.contains(directory) && !protected.contains(directory) {
                let children = filesystem.children(directory)
                guard !children.isEmpty, children.allSatisfy({ removed.contains($0.path) }),
                      !written.contains(directory),
                      contents.entry(at: String(directory.dropFirst())) == nil
                else { continue }
                removed.insert(directory)
                next.insert(parent(directory))
            }
            frontier = next
        }
        let sorted = removed.sorted()
        return sorted.filter { path in
            var ancestor = parent(path)
            while ancestor != "/" {
                if removed.contains(ancestor) { return false }
                ancestor = parent(ancestor)
            }
            return true
        }
    }

    static func parent(_ path: String) -> String {
        guard let slash = path.lastIndex(of: "/"), slash != path.startIndex else { return "/" }
        return String(path[..<slash])
    }
}
