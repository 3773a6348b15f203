/// A base image read from an OCI image layout directory: `base: oci:DIR[:TAG]`. Without a
/// tag the layout must hold exactly one image.
public struct OCILayoutBase: Sendable, Hashable, CustomStringConvertible {
    /// The layout directory, relative to the recipe. Unlike copied files it may be outside the
    /// recipe's directory: nothing from it is copied into the image as host files.
    public var directory: HostPath
    /// The `org.opencontainers.image.ref.name` to pick.
    public var tag: String?

    public init(directory: HostPath, tag: String?) {
        self.directory = directory
        self.tag = tag
    }

    public var description: String {
        "oci:" + directory.written + (tag.map { ":" + $0 } ?? "")
    }
}

extension OCILayoutBase {
    /// `DIR[:TAG]`: a tag follows the last ':' when no '/' comes after it.
    static func parse(_ text: String, field: Field, in context: RecipeParseContext) -> OCILayoutBase? {
        var directory = text
        var tag: String?
        if let colon = text.lastIndex(of: ":"), !text[colon...].contains("/") {
            tag = String(text[text.index(after: colon)...])
            directory = String(text[..<colon])
        }
        guard !directory.isEmpty else {
            context.report(field, "oci: needs a directory (got \(Quoted.text("oci:" + text)))", suggestion: "write oci:DIR or oci:DIR:TAG")
            return nil
        }
        if let tag, tag.isEmpty || tag.contains(where: \.isWhitespace) {
            context.report(field, "the tag after the layout directory is empty or has spaces (got \(Quoted.text(tag)))")
            return nil
        }
        guard let path = context.hostPaths.check(directory, field: field, allowOutside: true, kind: .directory, in: context) else {
            return nil
        }
        if context.hostPaths.checksFiles, !FileManagerProbe.isFile(path.absolute + "/index.json") {
            context.report(field, "\(Quoted.text(directory)) is not an OCI image layout (it has no index.json)")
            return nil
        }
        return OCILayoutBase(directory: path, tag: tag)
    }
}
