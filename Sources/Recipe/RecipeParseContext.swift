import Yams

/// What reading one recipe needs besides the YAML: the file name for messages, the host-path
/// rules, and the list of problems found so far (reading goes on after a problem).
final class RecipeParseContext {
    let file: String
    let hostPaths: HostPathChecker
    private(set) var errors: [RecipeError] = []

    init(file: String, hostPaths: HostPathChecker) {
        self.file = file
        self.hostPaths = hostPaths
    }

    func location(of node: Node, at path: FieldPath) -> SourceLocation {
        SourceLocation(file: file, line: node.mark?.line ?? 0, column: node.mark?.column ?? 0, field: path.description)
    }

    func report(_ field: Field, _ message: String, suggestion: String? = nil) {
        report(at: location(of: field.node, at: field.path), message, suggestion: suggestion)
    }

    func report(at location: SourceLocation, _ message: String, suggestion: String? = nil) {
        errors.append(RecipeError(at: location, message, suggestion: suggestion))
    }

    /// The problems in file order (a stable sort keeps discovery order within one node).
    var sortedErrors: [RecipeError] {
        errors.enumerated()
            .sorted { ($0.element.line, $0.element.column, $0.offset) < ($1.element.line, $1.element.column, $1.offset) }
            .map(\.element)
    }
}
