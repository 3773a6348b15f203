import Testing
@testable import Recipe

@Suite("Step forms")
struct StepFormTests {
    @Test func stringCommandIsShellFormAndListIsExecForm() throws {
        let steps = try RecipeText.steps("""
              - entrypoint: python app.py --port 80
              - cmd: [serve, --port, "8080"]
              - cmd: []
            """)
        #expect(steps == [
            .entrypoint(CommandStep(form: .shell("python app.py --port 80"))),
            .cmd(CommandStep(form: .exec(["serve", "--port", "8080"]))),
            .cmd(CommandStep(form: .exec([]))),
        ])
        guard case .entrypoint(let entrypoint) = steps[0] else { return }
        #expect(entrypoint.arguments == ["/bin/sh", "-c", "python app.py --port 80"])
    }

    @Test func envAsListAndAsMappingGiveTheSameVariables() throws {
        let mapping = try RecipeText.steps("  - env: {PATH: /opt/bin, PORT: 8080, DEBUG: true, EMPTY: \"\", EQ: a=b}\n")
        let list = try RecipeText.steps("  - env: [PATH=/opt/bin, PORT=8080, DEBUG=true, EMPTY=, EQ=a=b]\n")
        #expect(mapping == list)
        #expect(mapping == [.env(EnvStep(variables: [
            EnvironmentVariable(name: "PATH", value: "/opt/bin"), EnvironmentVariable(name: "PORT", value: "8080"),
            EnvironmentVariable(name: "DEBUG", value: "true"), EnvironmentVariable(name: "EMPTY", value: ""),
            EnvironmentVariable(name: "EQ", value: "a=b"),
        ]))])
    }

    @Test func envEntriesWithoutValuesAreRefused() {
        #expect(RecipeText.problems("image: a:1\nbase: scratch\nsteps:\n  - env: [FOO]\n  - env: {BAR: }\n") == [
            "recipe.yml:4:11: steps[0].env[0]: expected \"NAME=value\", got \"FOO\"; write \"FOO=\" for an empty value",
            "recipe.yml:5:16: steps[1].env.BAR: expected a value (\"\" for an empty one), got nothing",
        ])
    }

    @Test func modesAcceptOctalStringsOctalNumbersAndDecimalNumbers() throws {
        let steps = try RecipeText.steps("""
              - copy: {src: a, dest: /a, mode: "0644"}
              - copy: {src: a, dest: /a, mode: 0644}
              - copy: {src: a, dest: /a, mode: 420}
              - copy: {src: a, dest: /a, mode: 0o644}
              - copy: {src: a, dest: /a, mode: "755"}
            """)
        let modes = steps.compactMap { step -> UInt32? in
            if case .copy(let copy) = step { return copy.mode?.bits }
            return nil
        }
        #expect(modes == [0o644, 0o644, 0o644, 0o644, 0o755])
        #expect(FileMode(bits: 0o755).description == "0755")
    }

    @Test func ownersAreNumeric() throws {
        let steps = try RecipeText.steps("""
              - copy: {src: a, dest: /a, owner: "1000:100"}
              - copy: {src: a, dest: /a, owner: 1000}
            """)
        let owners = steps.compactMap { step -> FileOwner? in
            if case .copy(let copy) = step { return copy.owner }
            return nil
        }
        #expect(owners == [FileOwner(uid: 1000, gid: 100), FileOwner(uid: 1000, gid: 1000)])
        #expect(RecipeText.problems("image: a:1\nbase: scratch\nsteps:\n  - copy: {src: a, dest: /a, owner: app:app}\n") == [
            "recipe.yml:4:37: steps[0].copy.owner: owner must be numeric uid:gid (got \"app:app\"); user and group names cannot be looked up at build time; write the numbers, e.g. \"1000:1000\"",
        ])
    }

    @Test func severalSourcesNeedADirectoryDestination() {
        #expect(RecipeText.problems("image: a:1\nbase: scratch\nsteps:\n  - copy: {src: [a, b], dest: /app}\n") == [
            "recipe.yml:4:31: steps[0].copy.dest: must end with '/' when copying several sources; did you mean \"/app/\"?",
        ])
    }

    @Test func exposedPortsAreNormalized() throws {
        let steps = try RecipeText.steps("  - expose: [80, \"8080/tcp\", 53/UDP, 9000/sctp]\n  - expose: 443\n")
        #expect(steps == [
            .expose(ExposeStep(ports: [
                ExposedPort(port: 80), ExposedPort(port: 8080), ExposedPort(port: 53, transport: .udp),
                ExposedPort(port: 9000, transport: .sctp),
            ])),
            .expose(ExposeStep(ports: [ExposedPort(port: 443)])),
        ])
        #expect(ExposedPort(port: 53, transport: .udp).description == "53/udp")
    }

    @Test func stopSignalsAreNamedOrNumbered() throws {
        let steps = try RecipeText.steps("  - stopsignal: TERM\n  - stopsignal: SIGRTMIN+3\n  - stopsignal: 9\n")
        #expect(steps == [
            .stopSignal(StopSignalStep(signal: "SIGTERM")), .stopSignal(StopSignalStep(signal: "SIGRTMIN+3")),
            .stopSignal(StopSignalStep(signal: "9")),
        ])
        #expect(RecipeText.problems("image: a:1\nbase: scratch\nsteps:\n  - stopsignal: SIGTREM\n") == [
            "recipe.yml:4:17: steps[0].stopsignal: unknown signal \"SIGTREM\"; did you mean one of 'SIGTERM', 'SIGTRAP'?",
        ])
    }

    @Test func onlyFileSystemStepsWriteLayers() {
        let layered = Step.Kind.allCases.filter(\.writesLayer)
        #expect(layered == [.copy, .remove, .pip, .conda])
    }

    @Test func removeTakesAbsoluteImagePaths() throws {
        let steps = try RecipeText.steps("  - remove: [/opt/conda/pkgs/, /usr/share/doc/./x/../y]\n")
        #expect(steps == [.remove(RemoveStep(paths: ["/opt/conda/pkgs", "/usr/share/doc/y"]))])
        #expect(RecipeText.problems("image: a:1\nbase: scratch\nsteps:\n  - remove: [/, tmp]\n") == [
            "recipe.yml:4:14: steps[0].remove[0]: cannot remove the root directory",
            "recipe.yml:4:17: steps[0].remove[1]: must be an absolute path inside the image (got \"tmp\"); did you mean \"/tmp\"?",
        ])
    }

    @Test func aStepNameBecomesItsTitle() throws {
        let recipe = try RecipeText.parse("image: a:1\nbase: scratch\nsteps:\n  - name: Configure\n    workdir: /srv\n  - user: \"1000\"\n")
        #expect(recipe.steps.map(\.title) == ["Configure", "user 1000"])
        #expect(recipe.steps.map(\.index) == [0, 1])
        #expect(recipe.steps[0].location == SourceLocation(file: "recipe.yml", line: 4, column: 5, field: "steps[0]"))
    }

    @Test func aStepWithoutAnActionIsRefused() {
        #expect(RecipeText.problems("image: a:1\nbase: scratch\nsteps:\n  - name: nothing\n") == [
            "recipe.yml:4:5: steps[0]: the step has no action; give one of copy, remove, env, workdir, user, entrypoint, cmd, labels, expose, stopsignal, pip, conda",
        ])
    }

    @Test func compressionIsANameOrAMappingWithALevel() throws {
        #expect(try RecipeText.parse("image: a:1\nbase: scratch\n").compression == LayerCompression(algorithm: .gzip))
        #expect(try RecipeText.parse("image: a:1\nbase: scratch\ncompression: zstd\n").compression == LayerCompression(algorithm: .zstd))
        #expect(try RecipeText.parse("image: a:1\nbase: scratch\ncompression: {algorithm: zstd, level: 19}\n").compression
            == LayerCompression(algorithm: .zstd, level: 19))
        #expect(RecipeText.problems("image: a:1\nbase: scratch\ncompression: {level: 12}\n") == [
            "recipe.yml:3:22: compression.level: gzip levels go from 1 to 9 (got 12)",
        ])
    }

    @Test func platformDefaultsToLinuxAmd64() throws {
        #expect(try RecipeText.parse("image: a:1\nbase: scratch\n").platform.description == "linux/amd64")
        #expect(try RecipeText.parse("image: a:1\nbase: scratch\nplatform: linux/arm64\n").platform.description == "linux/arm64")
    }

    @Test func severalImageTagsAreAllowedButNotDigests() throws {
        let recipe = try RecipeText.parse("image: [app:1.0, app:latest, 127.0.0.1:5000/app:1.0]\nbase: scratch\n")
        #expect(recipe.images.map(\.description) == [
            "docker.io/library/app:1.0", "docker.io/library/app:latest", "127.0.0.1:5000/app:1.0",
        ])
        let digest = "sha256:" + String(repeating: "a", count: 64)
        #expect(RecipeText.problems("image: app@\(digest)\nbase: scratch\n") == [
            "recipe.yml:1:8: image: a build target cannot name a digest (got \"app@\(digest)\"); give a tag instead",
        ])
    }

    @Test func baseFormsParse() throws {
        #expect(try RecipeText.parse("image: a:1\nbase: python:3.11-slim\n").base.description == "docker.io/library/python:3.11-slim")
        #expect(try RecipeText.parse("image: a:1\nbase: scratch\n").base == .scratch)
        let layout = try RecipeText.parse("image: a:1\nbase: oci:../examples/base:v1\n").base
        guard case .ociLayout(let base) = layout else {
            Issue.record("not a layout: \(layout)")
            return
        }
        #expect(base.directory.written == "../examples/base")
        #expect(base.directory.absolute == "/work/examples/base")
        #expect(base.tag == "v1")
        #expect(RecipeText.problems("image: a:1\nbase: Scratch\n").first?.hasSuffix("; did you mean 'scratch'?") == true)
    }
}
