import Foundation
import Recipe
import TestSupport

/// Parses recipe text for tests, as `recipe.yml` in `directory`.
enum RecipeText {
    static func parse(_ yaml: String, directory: String = "/work/project", checkingFiles: Bool = false) throws(RecipeErrors) -> Recipe {
        try Recipe.parse(yaml: yaml, filePath: "recipe.yml", baseDirectory: directory, checkingFiles: checkingFiles)
    }

    /// The one-line descriptions of every problem in `yaml`, empty when it is valid.
    static func problems(_ yaml: String, directory: String = "/work/project", checkingFiles: Bool = false) -> [String] {
        do {
            _ = try parse(yaml, directory: directory, checkingFiles: checkingFiles)
            return []
        } catch {
            return error.errors.map(\.description)
        }
    }

    /// The steps of a recipe made of `image`, `base: scratch` and the given `steps:` text.
    static func steps(_ stepsYAML: String) throws(RecipeErrors) -> [Step] {
        try parse("image: app:1\nbase: scratch\nsteps:\n" + stepsYAML).steps.map(\.step)
    }

    static var examples: URL { Harness.packageRoot.appendingPathComponent("recipes") }
}
