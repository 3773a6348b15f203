import Foundation
import Yams

extension Recipe {
    /// Reads, parses and validates the recipe at `path`: every key and value is checked, and
    /// every host file it names must exist inside the recipe's directory (unless allowed
    /// outside). All problems are reported together, each with its file, line and column.
    public static func load(path: String) throws(RecipeErrors) -> Recipe {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            let reason = FileManager.default.fileExists(atPath: path) ? "it cannot be read" : "no such file"
            throw RecipeErrors(RecipeError(file: path, line: 0, column: 0, field: "", message: "cannot read the recipe: \(reason)"))
        }
        guard let yaml = String(data: data, encoding: .utf8) else {
            throw RecipeErrors(RecipeError(file: path, line: 0, column: 0, field: "", message: "the recipe is not UTF-8 text"))
        }
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
        return try parse(yaml: yaml, filePath: path, baseDirectory: directory)
    }

    /// Parses and validates recipe text. `filePath` is used in messages; host paths are relative
    /// to `baseDirectory`. With `checkingFiles: false` host paths are checked only as text
    /// (inside the directory, not absolute), not for existence or symbolic links.
    public static func parse(
        yaml: String, filePath: String, baseDirectory: String, checkingFiles: Bool = true
    ) throws(RecipeErrors) -> Recipe {
        let hostPaths = HostPathChecker(baseDirectory: baseDirectory, checksFiles: checkingFiles)
        let context = RecipeParseContext(file: filePath, hostPaths: hostPaths)
        let root: Node?
        do {
            root = try Yams.compose(yaml: yaml)
        } catch let error as YamlError {
            throw RecipeErrors(YAMLErrorTranslation.recipeError(error, file: filePath))
        } catch {
            throw RecipeErrors(RecipeError(file: filePath, line: 0, column: 0, field: "", message: "cannot parse the recipe: \(error)"))
        }
        guard let root else {
            throw RecipeErrors(RecipeError(
                file: filePath, line: 0, column: 0, field: "", message: "the recipe is empty",
                suggestion: "it needs at least image and base (see docs/recipe.md)"))
        }
        let recipe = RecipeDocument.read(root, directory: hostPaths.baseDirectory, in: context)
        let errors = context.sortedErrors
        guard errors.isEmpty, let recipe else {
            throw RecipeErrors(errors.isEmpty ? [RecipeError(file: filePath, line: 0, column: 0, field: "", message: "the recipe is invalid")] : errors)
        }
        return recipe
    }
}
