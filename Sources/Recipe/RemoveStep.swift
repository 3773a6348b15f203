/// `remove:` paths of the base image, written as whiteouts in the step's layer. A removed
/// directory goes with everything in it.
public struct RemoveStep: Sendable, Hashable {
    /// Absolute, normalized image paths.
    public var paths: [String]

    public init(paths: [String]) {
        self.paths = paths
    }
}

extension RemoveStep: CanonicallyEncodable {
    var canonical: CanonicalValue { .strings(paths) }
}

extension RemoveStep {
    static func parse(_ field: Field, in context: RecipeParseContext) -> RemoveStep? {
        guard let items = field.items(in: context, expected: "an absolute path or a list of them") else { return nil }
        guard !items.isEmpty else {
            context.report(field, "lists no paths")
            return nil
        }
        var paths: [String] = []
        var valid = true
        for item in items {
            guard let path = ImagePath.absolute(item, in: context) else {
                valid = false
                continue
            }
            if path == "/" {
                context.report(item, "cannot remove the root directory")
                valid = false
            } else if paths.contains(path) {
                context.report(item, "\(Quoted.text(path)) is listed twice")
                valid = false
            }
            paths.append(path)
        }
        return valid ? RemoveStep(paths: paths) : nil
    }
}
