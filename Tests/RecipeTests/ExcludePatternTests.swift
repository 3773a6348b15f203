import Testing
@testable import Recipe

@Suite("copy exclude patterns")
struct ExcludePatternTests {
    func copy(excluding patterns: [String]) -> CopyStep {
        CopyStep(
            sources: [], destination: "/app", destinationIsDirectory: true,
            exclude: patterns.compactMap(ExcludePattern.init))
    }

    @Test func namesWithoutSlashMatchAtAnyDepth() {
        let step = copy(excluding: ["*.pyc", "__pycache__", ".git"])
        #expect(step.excludes("main.pyc", isDirectory: false))
        #expect(step.excludes("pkg/sub/mod.pyc", isDirectory: false))
        #expect(step.excludes("pkg/__pycache__/mod.cpython-311.opt-1.py", isDirectory: false))
        #expect(step.excludes(".git", isDirectory: true))
        #expect(!step.excludes("pkg/mod.py", isDirectory: false))
        #expect(!step.excludes("pkg/mod.pyc.txt", isDirectory: false))
    }

    @Test func patternsWithSlashAreAnchoredAtTheSource() {
        let step = copy(excluding: ["docs/*.md", "/build"])
        #expect(step.excludes("docs/a.md", isDirectory: false))
        #expect(!step.excludes("src/docs/a.md", isDirectory: false))
        #expect(!step.excludes("docs/sub/a.md", isDirectory: false))
        #expect(step.excludes("build/out/x.o", isDirectory: false))
        #expect(!step.excludes("src/build", isDirectory: true))
    }

    @Test func doubleStarMatchesAnyNumberOfDirectories() {
        let step = copy(excluding: ["**/test_*.py", "data/**/*.csv"])
        #expect(step.excludes("test_a.py", isDirectory: false))
        #expect(step.excludes("pkg/tests/test_b.py", isDirectory: false))
        #expect(step.excludes("data/x.csv", isDirectory: false))
        #expect(step.excludes("data/2024/01/x.csv", isDirectory: false))
        #expect(!step.excludes("other/x.csv", isDirectory: false))
    }

    @Test func trailingSlashMatchesOnlyDirectories() {
        let step = copy(excluding: ["cache/"])
        #expect(step.excludes("cache", isDirectory: true))
        #expect(step.excludes("a/cache/file", isDirectory: false))
        #expect(!step.excludes("cache", isDirectory: false))
    }

    @Test func questionMarkMatchesOneCharacter() {
        let step = copy(excluding: ["?.tmp"])
        #expect(step.excludes("a.tmp", isDirectory: false))
        #expect(!step.excludes("ab.tmp", isDirectory: false))
    }

    @Test func negationAndParentReferencesAreRefused() {
        #expect(RecipeText.problems("image: a:1\nbase: scratch\nsteps:\n  - copy: {src: a, dest: /a, exclude: [\"!keep\", ../x]}\n") == [
            "recipe.yml:4:40: steps[0].copy.exclude[0]: negated exclude patterns ('!') are not supported; narrow the pattern instead",
            "recipe.yml:4:49: steps[0].copy.exclude[1]: invalid exclude pattern \"../x\": it must name something below the source, without '..'",
        ])
    }
}
