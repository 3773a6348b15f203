/// `workdir:` the working directory of the image's processes (an absolute path).
public struct WorkdirStep: Sendable, Hashable {
    public var path: String

    public init(path: String) {
        self.path = path
    }
}

extension WorkdirStep: CanonicallyEncodable {
    var canonical: CanonicalValue { .string(path) }
}

extension WorkdirStep {
    static func parse(_ field: Field, in context: RecipeParseContext) -> WorkdirStep? {
        ImagePath.absolute(field, in: context).map(WorkdirStep.init(path:))
    }
}
