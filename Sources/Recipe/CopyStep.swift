/// `copy:` host files and directories into the image.
///
/// A file source lands at `destination`, or inside it when the destination ends with `/`; a
/// directory source's contents land inside `destination`. With several sources the destination
/// must end with `/`. Symbolic links inside copied directories are copied as links; a source
/// that is itself a link is followed.
public struct CopyStep: Sendable, Hashable {
    /// Relative to the recipe's directory; inside it unless `allowOutside`.
    public var sources: [HostPath]
    /// Absolute, normalized, without a trailing `/`.
    public var destination: String
    /// Whether the destination was written with a trailing `/` (a directory to copy into).
    public var destinationIsDirectory: Bool
    /// Permission bits for copied files; directories get the same bits plus search (`x`) where
    /// read is set (`0640` → `0750`). Nil: files get `0755` when the host file is executable by
    /// its owner, else `0644`, and directories `0755`, so the layer does not depend on the
    /// host's umask.
    public var mode: FileMode?
    /// Owner of everything copied; nil means 0:0.
    public var owner: FileOwner?
    public var exclude: [ExcludePattern]
    public var allowOutside: Bool

    public init(
        sources: [HostPath], destination: String, destinationIsDirectory: Bool, mode: FileMode? = nil,
        owner: FileOwner? = nil, exclude: [ExcludePattern] = [], allowOutside: Bool = false
    ) {
        self.sources = sources
        self.destination = destination
        self.destinationIsDirectory = destinationIsDirectory
        self.mode = mode
        self.owner = owner
        self.exclude = exclude
        self.allowOutside = allowOutside
    }

    /// Whether a path below a copied directory (relative to that source, `a/b/c.pyc`) is left
    /// out: it or one of its parent directories matches an `exclude` pattern.
    public func excludes(_ relativePath: String, isDirectory: Bool) -> Bool {
        guard !exclude.isEmpty else { return false }
        let components = relativePath.split(separator: "/").map(String.init)
        for end in components.indices {
            let prefix = Array(components[...end])
            let directory = end < components.count - 1 || isDirectory
            if exclude.contains(where: { $0.matches(components: prefix, isDirectory: directory) }) { return true }
        }
        return false
    }

    /// The destination as written, with the trailing `/` when it names a directory.
    public var writtenDestination: String {
        destinationIsDirectory && destination != "/" ? destination + "/" : destination
    }

    var summary: String {
        sources.map(\.written).joined(separator: ", ") + " -> " + writtenDestination
    }
}

extension CopyStep: CanonicallyEncodable {
    var canonical: CanonicalValue {
        .object([
            "src": .strings(sources.map(\.written)),
            "dest": .string(writtenDestination),
            "mode": mode.map { .integer(Int($0.bits)) },
            "owner": owner.map { .string($0.description) },
            "exclude": exclude.isEmpty ? nil : .strings(exclude.map(\.pattern)),
            "allow_outside": allowOutside ? .bool(true) : nil,
        ])
    }
}

extension CopyStep {
    static let keys = ["src", "dest", "mode", "owner", "exclude", "allow_outside"]

    static func parse(_ field: Field, in context: RecipeParseContext) -> CopyStep? {
        guard let map = MappingFields(field, keys: keys, expected: "a mapping with src and dest", in: context) else { return nil }
        var valid = true
        let allowOutside = map.optional("allow_outside", valid: &valid) { $0.bool(in: context) } ?? false
        let sources = map.required("src", "the files or directories to copy, relative to the recipe", valid: &valid, in: context) {
            sourceField -> [HostPath]? in
            guard let written = sourceField.strings(in: context) else { return nil }
            guard !written.isEmpty else {
                context.report(sourceField, "lists no sources")
                return nil
            }
            let checked = written.compactMap {
                context.hostPaths.check($0.text, field: $0.field, allowOutside: allowOutside, in: context)
            }
            return checked.count == written.count ? checked : nil
        }
        let destinationField = map.value("dest")
        let destination = map.required("dest", "the absolute path in the image to copy to", valid: &valid, in: context) {
            ImagePath.absolute($0, in: context)
        }
        let destinationIsDirectory = destinationField?.node.scalar?.string.hasSuffix("/") == true || destination == "/"
        if let sources, let destinationField, let destination, sources.count > 1, !destinationIsDirectory {
            context.report(
                destinationField, "must end with '/' when copying several sources",
                suggestion: "did you mean \(Quoted.text(destination + "/"))?")
            valid = false
        }
        let mode = map.optional("mode", valid: &valid) { FileMode.parse($0, in: context) }
        let owner = map.optional("owner", valid: &valid) { FileOwner.parse($0, in: context) }
        let exclude = map.optional("exclude", valid: &valid) { excludeField -> [ExcludePattern]? in
            guard let written = excludeField.strings(in: context) else { return nil }
            let patterns = written.compactMap { ExcludePattern.parse($0.text, field: $0.field, in: context) }
            return patterns.count == written.count ? patterns : nil
        } ?? []
        guard valid, let sources, let destination else { return nil }
        return CopyStep(
            sources: sources, destination: destination, destinationIsDirectory: destinationIsDirectory, mode: mode,
            owner: owner, exclude: exclude, allowOutside: allowOutside)
    }
}
