import Yams

/// YAML syntax errors as one-line recipe errors at their line and column.
enum YAMLErrorTranslation {
    static func recipeError(_ error: YamlError, file: String) -> RecipeError {
        switch error {
        case .scanner(let context, let problem, let mark, _),
             .parser(let context, let problem, let mark, _),
             .composer(let context, let problem, let mark, _):
            var message = "YAML syntax error: \(problem)"
            if let context {
                message += " (\(context.text) at \(context.mark.line):\(context.mark.column))"
            }
            return RecipeError(file: file, line: mark.line, column: mark.column, field: "", message: message)
        case .reader(let problem, _, _, _):
            return RecipeError(file: file, line: 0, column: 0, field: "", message: "the recipe cannot be read as text: \(problem)")
        case .duplicatedKeysInMapping(let duplicates, let context):
            let names = duplicates.map { "'\($0)'" }.joined(separator: ", ")
            return RecipeError(
                file: file, line: context.mark.line, column: context.mark.column, field: "",
                message: "key \(names) appears more than once in this mapping", suggestion: "keep one")
        default:
            return RecipeError(file: file, line: 0, column: 0, field: "", message: "cannot parse the recipe: \(error)")
        }
    }
}
