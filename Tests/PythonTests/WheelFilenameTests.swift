import Testing
@testable import Python

@Suite struct WheelFilenameTests {
    @Test func simple() throws {
        let w = try WheelFilename("requests-2.31.0-py3-none-any.whl")
        #expect(w.name == "requests")
        #expect(w.version == (try PythonVersion("2.31.0")))
        #expect(w.build == nil)
        #expect(w.tags == [WheelTag(interpreter: "py3", abi: "none", platform: "any")])
    }

    @Test func compressedTags() throws {
        let w = try WheelFilename("six-1.16.0-py2.py3-none-any.whl")
        #expect(w.tags.map(\.description) == ["py2-none-any", "py3-none-any"])
        let n = try WheelFilename(
            "numpy-1.26.4-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl")
        #expect(n.tags.map(\.description) == [
            "cp311-cp311-manylinux_2_17_x86_64", "cp311-cp311-manylinux2014_x86_64",
        ])
    }

    @Test func localVersionAndBuildTag() throws {
        let t = try WheelFilename("torch-2.0.1+cu118-cp38-cp38-linux_x86_64.whl")
        #expect(t.version.localLabel == "cu118")
        #expect(t.tags.map(\.description) == ["cp38-cp38-linux_x86_64"])
        let b = try WheelFilename("Foo_Bar-1.0-12abc-cp311-abi3-musllinux_1_1_aarch64.whl")
        #expect(b.normalizedName == "foo-bar")
        #expect(b.build?.number == 12)
        #expect(b.build?.label == "abc")
    }

    @Test(arguments: [
        "requests-2.31.0-py3-none-any.zip", "requests-py3-none-any.whl", "a-1.0-x-py3-none-any-extra.whl",
        "a-notaversion-py3-none-any.whl", "a-1.0-abc-py3-none-any.whl", "a-1.0--none-any.whl",
        "a-1.0-py2.-none-any.whl", "-1.0-py3-none-any.whl",
    ])
    func rejects(_ name: String) {
        #expect(throws: WheelFilenameError.self) { try WheelFilename(name) }
    }
}
