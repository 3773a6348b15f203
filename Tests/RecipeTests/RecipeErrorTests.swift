import Foundation
import Testing
import TestSupport
@testable import Recipe

@Suite("Recipe errors name file, line, column and field")
struct RecipeErrorTests {
    @Test func unknownKeySuggestsTheNearestValidKey() {
        #expect(RecipeText.problems("imgae: app:1\nbase: scratch\n") == [
            "recipe.yml:1:1: imgae: unknown key; did you mean 'image'?",
        ])
        #expect(RecipeText.problems("""
            image: app:1
            base: scratch
            steps:
              - copy:
                  src: app
                  dset: /app
            """) == ["recipe.yml:6:7: steps[0].copy.dset: unknown key; did you mean 'dest'?"])
    }

    @Test func unknownKeyWithNothingNearListsTheValidKeys() {
        #expect(RecipeText.problems("image: app:1\nbase: scratch\nfoo: 1\n") == [
            "recipe.yml:3:1: foo: unknown key; valid keys: image, platform, base, compression, steps",
        ])
    }

    @Test func unknownStepActionSuggestsTheNearestAction() {
        #expect(RecipeText.problems("image: app:1\nbase: scratch\nsteps:\n  - entrypiont: run\n") == [
            "recipe.yml:4:5: steps[0].entrypiont: unknown key; did you mean 'entrypoint'?",
        ])
    }

    @Test func wrongTypesNameWhatWasExpected() {
        #expect(RecipeText.problems("image: app:1\nbase: scratch\nsteps:\n  copy: {src: a, dest: /a}\n") == [
            "recipe.yml:4:3: steps: expected a list of steps, got a mapping",
        ])
        #expect(RecipeText.problems("image: app:1\nbase: scratch\nsteps:\n  - copy: {src: {a: b}, dest: /a}\n") == [
            "recipe.yml:4:17: steps[0].copy.src: expected a string or a list of strings, got a mapping",
        ])
        #expect(RecipeText.problems("image: app:1\nbase: [scratch]\n") == [
            "recipe.yml:2:7: base: expected an image reference, oci:DIR[:TAG], scratch, or a {dlc: ...} mapping, got a list",
        ])
        #expect(RecipeText.problems("image: app:1\nbase: scratch\nsteps:\n  - pip: {install: [a], upgrade: maybe}\n") == [
            "recipe.yml:4:34: steps[0].pip.upgrade: expected true or false, got \"maybe\"",
        ])
    }

    @Test func missingRequiredFieldsAreNamed() {
        #expect(RecipeText.problems("image: app:1\n") == [
            "recipe.yml:1:1: base: required key is missing (the image to build on: a reference, oci:DIR, scratch or {dlc: ...})",
        ])
        #expect(RecipeText.problems("image: app:1\nbase: scratch\nsteps:\n  - copy:\n      src: app\n") == [
            "recipe.yml:5:7: steps[0].copy.dest: required key is missing (the absolute path in the image to copy to)",
        ])
        #expect(RecipeText.problems("image: app:1\nbase: {version: '2.1'}\n") == [
            "recipe.yml:2:7: base.dlc: required key is missing (the DLC repository, e.g. pytorch-training)",
            "recipe.yml:2:7: base.region: required key is missing (the AWS region to pull from, e.g. us-east-1)",
        ])
    }

    @Test func missingFileIsReportedWhereItIsNamed() throws {
        let directory = try TemporaryDirectory("recipe-missing")
        defer { directory.remove() }
        try FileManager.default.createDirectory(at: directory.appending("app"), withIntermediateDirectories: true)
        let problems = RecipeText.problems("""
            image: app:1
            base: scratch
            steps:
              - copy:
                  src: [app, app/missing.py]
                  dest: /app/
            """, directory: directory.path, checkingFiles: true)
        #expect(problems == [
            "recipe.yml:5:18: steps[0].copy.src[1]: \"app/missing.py\" does not exist (looked for \(directory.path)/app/missing.py)",
        ])
    }

    @Test func badReferenceGivesTheReferenceParsersReason() {
        #expect(RecipeText.problems("image: app:1\nbase: Python:3.11\n") == [
            "recipe.yml:2:7: base: invalid image reference 'Python:3.11': repository names must be lowercase ('Python')",
        ])
        #expect(RecipeText.problems("image: [app:1, 'app:bad tag']\nbase: scratch\n") == [
            "recipe.yml:1:16: image[1]: invalid image reference 'app:bad tag': tag 'bad tag' must be 1-128 characters of letters, digits, '_', '.', '-', not starting with '.' or '-'",
        ])
    }

    @Test func pathTraversalOutOfTheRecipeDirectoryIsRefused() {
        #expect(RecipeText.problems("""
            image: app:1
            base: scratch
            steps:
              - copy: {src: ../../etc, dest: /etc/}
              - copy: {src: /etc/passwd, dest: /etc/passwd}
            """) == [
            "recipe.yml:4:17: steps[0].copy.src: \"../../etc\" is outside the recipe's directory; move it next to the recipe, or set allow_outside: true on this step",
            "recipe.yml:5:17: steps[1].copy.src: \"/etc/passwd\" is an absolute host path; host paths are relative to the recipe's directory; move it next to the recipe, or set allow_outside: true on this step",
        ])
    }

    @Test func relativeDestinationIsRefusedWithTheAbsoluteOneSuggested() {
        #expect(RecipeText.problems("image: app:1\nbase: scratch\nsteps:\n  - copy: {src: app, dest: app}\n") == [
            "recipe.yml:4:28: steps[0].copy.dest: must be an absolute path inside the image (got \"app\"); did you mean \"/app\"?",
        ])
    }

    @Test func badModesAreRefused() {
        let yaml = """
            image: app:1
            base: scratch
            steps:
              - copy: {src: a, dest: /a, mode: "0999"}
              - copy: {src: a, dest: /a, mode: 755}
              - copy: {src: a, dest: /a, mode: "017777"}
            """
        #expect(RecipeText.problems(yaml) == [
            "recipe.yml:4:36: steps[0].copy.mode: invalid mode \"0999\"; write a mode in quotes like \"0644\", or a number like 0644 (octal) or 420 (decimal)",
            "recipe.yml:5:36: steps[1].copy.mode: mode 755 is read as a decimal number (octal 1363); write \"0755\" for octal, or 0755 unquoted",
            "recipe.yml:6:36: steps[2].copy.mode: mode \"017777\" is larger than 07777",
        ])
    }

    @Test func badExposedPortsAreRefused() {
        #expect(RecipeText.problems("image: app:1\nbase: scratch\nsteps:\n  - expose: [80, 8080/http, 70000]\n") == [
            "recipe.yml:4:18: steps[0].expose[1]: invalid port \"8080/http\": unknown protocol \"http\"; the protocol is tcp, udp or sctp",
            "recipe.yml:4:29: steps[0].expose[2]: invalid port \"70000\": expected a number from 1 to 65535, optionally followed by /tcp, /udp or /sctp",
        ])
    }

    @Test func malformedPipItemsAreRefused() {
        let yaml = """
            image: app:1
            base: scratch
            steps:
              - pip:
                  install:
                    - {url: "https://example.com/x-1.0-py3-none-any.whl", sha256: abc}
                    - torch=2.1
                    - ./vendor/pkg-1.0.tar.gz
                    - {url: "https://example.com/x.whl", path: x.whl}
                    - https://example.com/simple/torch/
            """
        #expect(RecipeText.problems(yaml) == [
            "recipe.yml:6:71: steps[0].pip.install[0].sha256: expected a sha256 of 64 hexadecimal digits, got \"abc\"",
            "recipe.yml:7:11: steps[0].pip.install[1]: invalid requirement \"torch=2.1\": version clause \"=2.1\" needs an operator (==, >=, <=, !=, ~=, <, >, ===); write e.g. \"torch==2.1.0\" or \"faiss-cpu>=1.7\"",
            "recipe.yml:8:11: steps[0].pip.install[2]: \"./vendor/pkg-1.0.tar.gz\" is not a wheel; smimg installs wheels only (no source distributions or project directories); build a wheel (pip wheel) and list the .whl file",
            "recipe.yml:9:11: steps[0].pip.install[3]: give either url or path, not both",
            "recipe.yml:10:11: steps[0].pip.install[4]: \"https://example.com/simple/torch/\" does not name a .whl file; list wheel URLs here; put index pages in index_url/extra_index_urls and link pages in find_links",
        ])
    }

    @Test func duplicateKeysAreReportedByTheYAMLParser() {
        #expect(RecipeText.problems("image: a:1\nbase: scratch\nimage: b:1\n") == [
            "recipe.yml:1:1: key 'image' appears more than once in this mapping; keep one",
        ])
        #expect(RecipeText.problems("image: a:1\nbase: scratch\nsteps:\n  - copy:\n      src: a\n      src: b\n      dest: /x\n") == [
            "recipe.yml:5:7: key 'src' appears more than once in this mapping; keep one",
        ])
    }

    @Test func yamlSyntaxErrorsHaveTheirPosition() {
        let problems = RecipeText.problems("image: app:1\nbase: scratch\nsteps:\n  - env: {A: 1\n")
        #expect(problems.count == 1)
        #expect(problems.first?.hasPrefix("recipe.yml:5:1: YAML syntax error: did not find expected ',' or '}'") == true)
    }

    @Test func everyProblemIsReportedInFileOrder() {
        let yaml = """
            image: App:1
            platform: linux/x86_64
            base: scratch
            compression: gzp
            steps:
              - workdir: app
              - user: ""
              - copy: {src: a, dest: /a}
                env: {A: b}
            """
        #expect(RecipeText.problems(yaml) == [
            "recipe.yml:1:8: image: invalid image reference 'App:1': repository names must be lowercase ('App')",
            "recipe.yml:2:11: platform: unknown architecture \"x86_64\"; did you mean 'linux/amd64'?",
            "recipe.yml:4:14: compression: unknown compression \"gzp\"; did you mean 'gzip'?",
            "recipe.yml:6:14: steps[0].workdir: must be an absolute path inside the image (got \"app\"); did you mean \"/app\"?",
            "recipe.yml:7:11: steps[1].user: expected a user like \"1000\", \"1000:100\" or \"app\", got \"\"",
            "recipe.yml:9:5: steps[2].env: a step has one action, and this one already has 'copy'; put 'env' in a step of its own",
        ])
    }

    /// The example in docs/recipe.md's Errors section.
    @Test func documentedExampleGivesTheDocumentedLines() {
        let yaml = """
            imgae: app:1
            base: scratch
            steps:
              - copy:
                  src: ../../etc
                  dest: app
              - expose: [80, 8080/http]
              - copy: {src: a, dest: /a, mode: 755}
            """
        #expect(RecipeText.problems(yaml) == [
            "recipe.yml:1:1: imgae: unknown key; did you mean 'image'?",
            "recipe.yml:5:12: steps[0].copy.src: \"../../etc\" is outside the recipe's directory; move it next to the recipe, or set allow_outside: true on this step",
            "recipe.yml:6:13: steps[0].copy.dest: must be an absolute path inside the image (got \"app\"); did you mean \"/app\"?",
            "recipe.yml:7:18: steps[1].expose[1]: invalid port \"8080/http\": unknown protocol \"http\"; the protocol is tcp, udp or sctp",
            "recipe.yml:8:36: steps[2].copy.mode: mode 755 is read as a decimal number (octal 1363); write \"0755\" for octal, or 0755 unquoted",
        ])
    }

    @Test func unreadableAndEmptyRecipesAreFileLevelErrors() throws {
        let missing = #expect(throws: RecipeErrors.self) { try Recipe.load(path: "/nonexistent/recipe.yml") }
        #expect(missing?.description == "/nonexistent/recipe.yml: cannot read the recipe: no such file")
        #expect(RecipeText.problems("# nothing here\n") == [
            "recipe.yml: the recipe is empty; it needs at least image and base (see docs/recipe.md)",
        ])
        #expect(RecipeText.problems("- a\n- b\n") == [
            "recipe.yml:1:1: expected a mapping with image, base and steps, got a list",
        ])
    }
}
