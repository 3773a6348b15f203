import Testing
@testable import Python

@Suite struct CoreMetadataTests {
    let text = """
        Metadata-Version: 2.1
        Name: requests
        Version: 2.31.0
        Summary: Python HTTP for Humans.
        License: Apache 2.0
                 and more
        Requires-Python: >=3.7
        requires-dist: charset-normalizer (<4,>=2)
        Requires-Dist: idna <4,>=2.5
        Requires-Dist: PySocks (!=1.5.7,>=1.5.6) ; extra == 'socks'
        Requires-Dist: chardet (<6,>=3.0.2) ; extra == 'use_chardet_on_py3'
        Provides-Extra: security
        Provides-Extra: socks

        # Requests
        Body text.
        """

    @Test func parses() throws {
        let m = try CoreMetadata(text)
        #expect(m.name == "requests")
        #expect(m.version == (try PythonVersion("2.31.0")))
        #expect(m.requiresPython?.description == ">=3.7")
        #expect(m.requiresDist.map(\.name) == ["charset-normalizer", "idna", "PySocks", "chardet"])
        #expect(m.providesExtra == ["security", "socks"])
        #expect(m["summary"] == "Python HTTP for Humans.")
        #expect(m["License"] == "Apache 2.0\nand more")
        #expect(m.body == "# Requests\nBody text.")
        #expect(m.fields.count == 12)
    }

    @Test func dependenciesForExtras() throws {
        let m = try CoreMetadata(text)
        let target = PythonTarget(major: 3, minor: 11, machine: "x86_64", libc: .glibc(major: 2, minor: 36))
        #expect(m.dependencies(in: MarkerEnvironment(target: target)).map(\.name) == ["charset-normalizer", "idna"])
        #expect(m.dependencies(in: MarkerEnvironment(target: target, extras: ["socks"])).map(\.name)
            == ["charset-normalizer", "idna", "PySocks"])
        #expect(m.dependencies(in: MarkerEnvironment(target: target, extras: ["use-chardet-on-py3"])).count == 3)
    }

    @Test(arguments: [
        "Version: 1.0\n", "Name: x\n", "Name: x\nVersion: nope\n", " folded\nName: x\nVersion: 1\n",
        "Name: x\nVersion: 1\nbad line\n", "Name: x\nVersion: 1\nRequires-Dist: >=1\n",
        "Name: x\nVersion: 1\nRequires-Python: 3.8\n",
    ])
    func rejects(_ text: String) {
        #expect(throws: CoreMetadataError.self) { try CoreMetadata(text) }
    }
}
