import Testing
@testable import Recipe

@Suite("Recipe digest")
struct RecipeDigestTests {
    static let blockStyle = """
        # The service image.
        image: registry.example.com/team/app:1.0
        base: python:3.11-slim
        steps:
          - name: Code
            copy:
              src: ./src/
              dest: /app/
              mode: "0644"
          - env:
              PORT: 8080
              MODE: production
          - labels:
              b: two
              a: one
          - entrypoint: [python, /app/main.py]
        """

    static let flowStyle = """
        {image: "registry.example.com/team/app:1.0", base: 'python:3.11-slim', platform: linux/amd64,
         compression: {algorithm: gzip},
         steps: [
           {copy: {dest: /app/, src: [src], mode: 420}, name: Code},
           {env: ["PORT=8080", "MODE=production"]},
           {labels: {a: one, b: two}},
           {entrypoint: ["python", "/app/main.py"]}]}
        """

    @Test func sameRecipeInAnotherYAMLStyleHasTheSameDigest() throws {
        let block = try RecipeText.parse(Self.blockStyle)
        let flow = try RecipeText.parse(Self.flowStyle)
        #expect(block.canonicalEncoding == flow.canonicalEncoding)
        #expect(block.digest == flow.digest)
        #expect(block.steps.map(\.definitionDigest) == flow.steps.map(\.definitionDigest))
    }

    @Test func digestDoesNotDependOnWhereTheRecipeIs() throws {
        let here = try RecipeText.parse(Self.blockStyle, directory: "/home/a/project")
        let there = try RecipeText.parse(Self.blockStyle, directory: "/srv/build/checkout")
        #expect(here.digest == there.digest)
    }

    @Test func changingAValueChangesTheDigest() throws {
        let original = try RecipeText.parse(Self.blockStyle)
        let variants = [
            Self.blockStyle.replacingOccurrences(of: "PORT: 8080", with: "PORT: 8081"),
            Self.blockStyle.replacingOccurrences(of: "mode: \"0644\"", with: "mode: \"0640\""),
            Self.blockStyle.replacingOccurrences(of: "name: Code", with: "name: Sources"),
            Self.blockStyle.replacingOccurrences(of: "app:1.0", with: "app:1.1"),
            Self.blockStyle.replacingOccurrences(of: "[python, /app/main.py]", with: "python /app/main.py"),
            Self.blockStyle + "\ncompression: zstd\n",
        ]
        var digests = Set([original.digest])
        for variant in variants {
            digests.insert(try RecipeText.parse(variant).digest)
        }
        #expect(digests.count == variants.count + 1)
    }

    @Test func envOrderIsPartOfTheRecipeButLabelOrderIsNot() throws {
        let swappedEnv = Self.blockStyle.replacingOccurrences(
            of: "PORT: 8080\n      MODE: production", with: "MODE: production\n      PORT: 8080")
        let swappedLabels = Self.blockStyle.replacingOccurrences(of: "b: two\n      a: one", with: "a: one\n      b: two")
        let original = try RecipeText.parse(Self.blockStyle).digest
        #expect(try RecipeText.parse(swappedEnv).digest != original)
        #expect(try RecipeText.parse(swappedLabels).digest == original)
    }

    @Test func canonicalEncodingIsSortedCompactJSON() throws {
        let recipe = try RecipeText.parse("image: app:1\nbase: scratch\nsteps:\n  - env: {A: \"x\\\"y\"}\n  - workdir: /srv\n")
        #expect(recipe.canonicalEncoding == #"""
            {"base":{"scratch":true},"compression":{"algorithm":"gzip"},"format":"smimg.recipe/1","images":["docker.io/library/app:1"],"platform":"linux/amd64","steps":[{"env":["A=x\"y"]},{"workdir":"/srv"}]}
            """#)
        let independent = try TestSupportSHA.sha256sum(recipe.canonicalEncoding)
        #expect(recipe.digest.description == "sha256:" + independent)
    }
}
