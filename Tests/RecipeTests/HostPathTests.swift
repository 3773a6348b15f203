import Foundation
import Testing
import TestSupport
@testable import Recipe

@Suite("Host paths stay inside the recipe's directory")
struct HostPathTests {
    @Test func symbolicLinkLeadingOutsideIsRefused() throws {
        let directory = try TemporaryDirectory("recipe-links")
        defer { directory.remove() }
        try FileManager.default.createSymbolicLink(atPath: directory.appending("etc").path, withDestinationPath: "/etc")
        let problems = RecipeText.problems(
            "image: a:1\nbase: scratch\nsteps:\n  - copy: {src: etc, dest: /etc/}\n", directory: directory.path, checkingFiles: true)
        #expect(problems == [
            "recipe.yml:4:17: steps[0].copy.src: \"etc\" leads through a symbolic link to /etc, outside the recipe's directory; move it next to the recipe, or set allow_outside: true on this step",
        ])
    }

    @Test func symbolicLinkInsideTheDirectoryIsFine() throws {
        let directory = try TemporaryDirectory("recipe-links")
        defer { directory.remove() }
        try FileManager.default.createDirectory(at: directory.appending("real"), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: directory.appending("alias").path, withDestinationPath: "real")
        let recipe = try RecipeText.parse(
            "image: a:1\nbase: scratch\nsteps:\n  - copy: {src: alias, dest: /x/}\n", directory: directory.path, checkingFiles: true)
        #expect(recipe.steps.count == 1)
    }

    @Test func allowOutsidePermitsPathsOutsideTheDirectory() throws {
        let directory = try TemporaryDirectory("recipe-outside")
        defer { directory.remove() }
        let recipe = try RecipeText.parse("""
            image: a:1
            base: scratch
            steps:
              - copy: {src: [/etc/hostname, ../], dest: /host/, allow_outside: true}
            """, directory: directory.path, checkingFiles: true)
        guard case .copy(let copy) = recipe.steps[0].step else {
            Issue.record("not a copy step")
            return
        }
        #expect(copy.allowOutside)
        #expect(copy.sources.map(\.written) == ["/etc/hostname", ".."])
        #expect(copy.sources.map(\.absolute) == ["/etc/hostname", directory.url.deletingLastPathComponent().path])
    }

    @Test func pathsInsideTheDirectoryAreNormalized() throws {
        let recipe = try RecipeText.parse(
            "image: a:1\nbase: scratch\nsteps:\n  - copy: {src: [./app/, app/../lib, app//x], dest: /srv/}\n",
            directory: "/work/project")
        guard case .copy(let copy) = recipe.steps[0].step else { return }
        #expect(copy.sources.map(\.written) == ["app", "lib", "app/x"])
        #expect(copy.sources.map(\.absolute) == ["/work/project/app", "/work/project/lib", "/work/project/app/x"])
    }

    @Test func ociBaseMustBeALayoutDirectory() throws {
        let directory = try TemporaryDirectory("recipe-layout")
        defer { directory.remove() }
        try FileManager.default.createDirectory(at: directory.appending("base"), withIntermediateDirectories: true)
        #expect(RecipeText.problems("image: a:1\nbase: oci:base\n", directory: directory.path, checkingFiles: true) == [
            "recipe.yml:2:7: base: \"base\" is not an OCI image layout (it has no index.json)",
        ])
        try Data("{}".utf8).write(to: directory.appending("base/index.json"))
        #expect(RecipeText.problems("image: a:1\nbase: oci:base:v1\n", directory: directory.path, checkingFiles: true) == [])
        #expect(RecipeText.problems("image: a:1\nbase: oci:missing\n", directory: directory.path, checkingFiles: true) == [
            "recipe.yml:2:7: base: \"missing\" does not exist (looked for \(directory.path)/missing)",
        ])
    }

    @Test func wheelPathsMustBeFilesInsideTheDirectory() throws {
        let directory = try TemporaryDirectory("recipe-wheels")
        defer { directory.remove() }
        try FileManager.default.createDirectory(at: directory.appending("dist.whl"), withIntermediateDirectories: true)
        #expect(RecipeText.problems("""
            image: a:1
            base: scratch
            steps:
              - pip: {install: [dist.whl, ../other-1.0-py3-none-any.whl]}
            """, directory: directory.path, checkingFiles: true) == [
            "recipe.yml:4:21: steps[0].pip.install[0]: \"dist.whl\" is a directory; expected a file",
            "recipe.yml:4:31: steps[0].pip.install[1]: \"../other-1.0-py3-none-any.whl\" is outside the recipe's directory; move it next to the recipe, or set allow_outside: true on this step",
        ])
    }
}
