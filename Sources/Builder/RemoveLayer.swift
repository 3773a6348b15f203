import Archive
import Recipe

/// The whiteouts a `remove` step puts in its layer. Every path must exist in the image as
/// built so far (base and earlier steps); a path inside another removed path is covered by it.
/// Symbolic links in a path's parent directories are followed.
struct RemoveLayer {
    let step: RemoveStep
    let location: SourceLocation
    let filesystem: ImageFilesystem

    /// The resolved paths to white out, or the recipe error for one that does not exist.
    func targets() throws -> [String] {
        var targets: [String] = []
        for path in step.paths {
            let resolved = filesystem.resolve(path, followLast: false) ?? path
            guard filesystem.exists(resolved) else {
                throw RecipeError(
                    at: location.naming(location.field + ".remove"),
                    "\(path) does not exist in the base image or an earlier step",
                    suggestion: "check the path (it is case-sensitive), or drop it from the step")
            }
            targets.append(resolved)
        }
        let sorted = Set(targets).sorted()
        return sorted.filter { path in !sorted.contains { $0 != path && path.hasPrefix($0 + "/") } }
    }

    func contents() throws -> LayerContents {
        var contents = LayerContents()
        for path in try targets() {
            try contents.addWhiteout(removing: String(path.dropFirst()))
        }
        return contents
    }
}
