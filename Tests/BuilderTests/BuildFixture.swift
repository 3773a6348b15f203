import Foundation
import TestSupport

/// A recipe directory for a test: files written with fixed contents and modes, the recipe
/// text, a private build cache, and runs of the smimg binary against them.
struct BuildFixture {
    let directory: TemporaryDirectory
    let cache: String

    init(_ label: String = "smimg-build") throws {
        directory = try TemporaryDirectory(label)
        cache = directory.path + "/cache"
    }

    var path: String { directory.path }
    var recipePath: String { path + "/recipe.yml" }

    func write(_ relativePath: String, _ text: String, mode: Int = 0o644) throws {
        let url = directory.appending(relativePath)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: url.path)
    }

    func writeRecipe(_ text: String) throws {
        try write("recipe.yml", text)
    }

    /// `smimg build` with this fixture's cache and no SOURCE_DATE_EPOCH.
    @discardableResult
    func build(_ arguments: [String], cache: String? = nil, recipe: String? = nil) async throws -> CommandResult {
        try await Command.smimg(
            ["build", recipe ?? recipePath] + arguments,
            environment: ["SMIMG_CACHE": cache ?? self.cache, "SOURCE_DATE_EPOCH": ""])
    }

    /// The JSON a `--json` run printed.
    static func json(_ result: CommandResult) throws -> [String: Any] {
        guard let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any] else {
            throw CommandError.failed("parse --json output", result.status, result.output)
        }
        return object
    }

    static func steps(_ summary: [String: Any]) -> [[String: Any]] {
        summary["steps"] as? [[String: Any]] ?? []
    }

    func remove() { directory.remove() }
}
