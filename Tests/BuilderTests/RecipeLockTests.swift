@testable import Builder
import Conda
import Foundation
import Pip
import Recipe
import Testing
import TestSupport

@Suite struct RecipeLockTests {
    static func step(_ index: Int, value: String) -> RecipeStep {
        RecipeStep(
            index: index, name: nil, step: .env(EnvStep(variables: [EnvironmentVariable(name: "A", value: value)])),
            location: SourceLocation(file: "r.yml", line: index + 1, column: 3, field: "steps[\(index)]"))
    }

    static func wheel(_ name: String) -> ResolvedWheel {
        ResolvedWheel(
            name: name, version: "1.0", filename: "\(name)-1.0-py3-none-any.whl", url: "https://h/\(name)-1.0-py3-none-any.whl",
            sha256: String(repeating: "b", count: 64), requested: true, direct: false)
    }

    @Test func theLockSitsNextToTheRecipe() {
        #expect(RecipeLock.path(forRecipe: "/work/recipes/train.yml") == "/work/recipes/train.lock")
        #expect(RecipeLock.path(forRecipe: "/work/recipes/train.yaml") == "/work/recipes/train.lock")
    }

    @Test func anEntryMatchesOnlyTheSameDefinitionAndTarget() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/r.lock"
        let step = Self.step(2, value: "x")
        let book = try LockBook(path: path, locked: false)
        book.record(RecipeLockEntry(index: 2, kind: "pip", definition: step.definitionDigest.description, target: "cp311", wheels: [Self.wheel("a")]))
        #expect(try book.writeIfChanged(stepCount: 3))

        let reread = try LockBook(path: path, locked: true)
        #expect(reread.entry(for: step, kind: "pip", target: "cp311")?.wheels == [Self.wheel("a")])
        #expect(reread.entry(for: step, kind: "pip", target: "cp312") == nil)
        #expect(reread.staleness(for: step, kind: "pip", target: "cp312").contains("cp311"))
        let edited = Self.step(2, value: "y")
        #expect(reread.entry(for: edited, kind: "pip", target: "cp311") == nil)
        #expect(reread.staleness(for: edited, kind: "pip", target: "cp311").contains("changed"))
        #expect(try reread.writeIfChanged(stepCount: 3) == false)
    }

    @Test func theLockIsStableJSONWithCondasFieldNames() throws {
        let record = CondaPackageRecord(
            name: "faiss-gpu", version: "1.7.2", build: "h1_0", buildNumber: 0, subdir: "linux-64", fn: "faiss-gpu-1.7.2-h1_0.conda",
            url: "https://c/linux-64/faiss-gpu-1.7.2-h1_0.conda", channel: "https://c", md5: "00")
        let lock = RecipeLock(steps: [
            RecipeLockEntry(index: 0, kind: "pip", definition: "sha256:1", target: "cp311", wheels: [Self.wheel("a")]),
            RecipeLockEntry(index: 1, kind: "conda", definition: "sha256:2", target: "linux-64", packages: [record]),
        ])
        let text = String(decoding: try lock.encoded(), as: UTF8.self)
        #expect(text == String(decoding: try lock.encoded(), as: UTF8.self))
        #expect(text.contains("\"build_number\" : 0"))
        #expect(text.contains("https://c/linux-64/faiss-gpu-1.7.2-h1_0.conda"))
        let directory = try TemporaryDirectory()
        try lock.write(to: directory.path + "/x.lock")
        #expect(try RecipeLock.load(from: directory.path + "/x.lock") == lock)
    }

    @Test func aLockFromAnotherVersionIsRefusedWithAHint() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/x.lock"
        try Data(#"{"version": 9, "steps": []}"#.utf8).write(to: URL(fileURLWithPath: path))
        #expect(throws: BuildError.self) { try RecipeLock.load(from: path) }
        #expect(try RecipeLock.load(from: directory.path + "/none.lock") == nil)
    }
}
