import Foundation
import Testing
import TestSupport

/// Invalid recipes: one line per problem with file:line:column, exit status 64, nothing written.
@Suite struct RecipeErrorTests {
    static let cases: [(String, String, String)] = [
        ("unknown key", "imgae: app:1\nbase: scratch\n", "recipe.yml:1:1: imgae: unknown key"),
        ("wrong type", "image: app:1\nbase: scratch\nsteps:\n  - expose: {a: 1}\n", "recipe.yml:4:13: steps[0].expose"),
        ("missing file", "image: app:1\nbase: scratch\nsteps:\n  - copy: {src: nothere.txt, dest: /x}\n", "recipe.yml:4:17: steps[0].copy.src"),
        ("bad reference", "image: app:1\nbase: Not/A..Reference\n", "recipe.yml:2:7: base"),
        ("path traversal", "image: app:1\nbase: scratch\nsteps:\n  - copy: {src: ../../etc, dest: /etc/}\n", "recipe.yml:4:17: steps[0].copy.src"),
    ]

    @Test(arguments: cases.map(\.0))
    func aRecipeErrorIsOneLineWithItsLocationAndExits64WithoutOutput(_ name: String) async throws {
        let (_, text, expected) = try #require(Self.cases.first { $0.0 == name })
        let fixture = try BuildFixture()
        defer { fixture.remove() }
        try fixture.writeRecipe(text)
        let output = fixture.path + "/out"
        let result = try await fixture.build(["--output", "oci:\(output):1"])
        #expect(result.status == 64, "\(result.output)")
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 1, "\(result.stderr)")
        #expect(result.stderr.contains(expected), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: output))
        #expect(!FileManager.default.fileExists(atPath: fixture.cache))
    }

    @Test func aRemovedPathMissingFromTheBaseIsARecipeErrorAtTheStep() async throws {
        let fixture = try BuildFixture()
        defer { fixture.remove() }
        try fixture.write("a.txt", "a\n")
        try fixture.writeRecipe("""
            image: app:1
            base: scratch
            steps:
              - copy: {src: a.txt, dest: /a.txt}
              - remove: /b.txt
            """)
        let output = fixture.path + "/out"
        let result = try await fixture.build(["--output", "oci:\(output):1"])
        #expect(result.status == 64, "\(result.output)")
        #expect(result.stderr.contains("recipe.yml:5:5: steps[1].remove: /b.txt does not exist"), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: output))
    }

    @Test func aPipStepOnABaseWithoutPythonFailsClearlyButStillPlans() async throws {
        let fixture = try BuildFixture()
        defer { fixture.remove() }
        try fixture.writeRecipe("""
            image: app:1
            base: scratch
            steps:
              - pip: {install: [requests==2.32.3]}
            """)
        let build = try await fixture.build(["--output", "oci:\(fixture.path)/out:1"])
        #expect(build.status != 0)
        #expect(build.stderr.contains("recipe.yml:4:5: steps[0].pip: the image has no Python interpreter"), "\(build.stderr)")
        #expect(build.stderr.contains("set python:"), "\(build.stderr)")
        let plan = try await fixture.build(["--dry-run"])
        #expect(plan.status == 0, "\(plan.output)")
        #expect(plan.stdout.contains("wheels are resolved and installed when building"), "\(plan.stdout)")
    }
}
