import Testing
@testable import Python

@Suite struct PythonVersionTests {
    @Test(arguments: [
        ("1.0", "1.0"), ("v1.0", "1.0"), ("1!2.3", "1!2.3"), ("1.0a1", "1.0a1"), ("1.0-alpha.1", "1.0a1"),
        ("1.0beta2", "1.0b2"), ("1.0c1", "1.0rc1"), ("1.0pre", "1.0rc0"), ("1.0.preview_3", "1.0rc3"),
        ("1.0-1", "1.0.post1"), ("1.0.post", "1.0.post0"), ("1.0rev2", "1.0.post2"), ("1.0-r3", "1.0.post3"),
        ("1.0.dev", "1.0.dev0"), ("1.0-DEV7", "1.0.dev7"), ("2.0.1+cu118", "2.0.1+cu118"),
        ("1.0+Ubuntu-1_2", "1.0+ubuntu.1.2"), (" 1.2.3rc1.post2.dev3+x ", "1.2.3rc1.post2.dev3+x"),
        ("01.002", "1.2"), ("1.0-1.dev1", "1.0.post1.dev1"), ("1.0a.1", "1.0a1"), ("1.0.a1.post-1", "1.0a1.post1"),
        ("1.0post", "1.0.post0"), ("1.0_post_2", "1.0.post2"), ("1.0a-1", "1.0a1"), ("1.0.0-rc.1", "1.0.0rc1"),
        ("1.0-dev", "1.0.dev0"), ("1!1.0a", "1!1.0a0"),
    ])
    func normalises(_ input: String, _ expected: String) throws {
        #expect(try PythonVersion(input).description == expected)
    }

    @Test(arguments: ["", "abc", "1.0+", "1.0+a..b", "1.0.", "1.0-", "1!", "1.0 a", "1.0foo", "1.0-1-1"])
    func rejects(_ input: String) {
        #expect(throws: PythonVersionError.self) { try PythonVersion(input) }
    }

    @Test func components() throws {
        let v = try PythonVersion("3!1.2rc4.post5.dev6+abc.7")
        #expect(v.epoch == 3)
        #expect(v.release == [1, 2])
        #expect(v.pre?.kind == .rc)
        #expect(v.pre?.number == 4)
        #expect(v.post == 5)
        #expect(v.dev == 6)
        #expect(v.local == [.string("abc"), .number(7)])
        #expect(v.isPrerelease)
        #expect(v.public.description == "3!1.2rc4.post5.dev6")
        #expect(v.base.description == "3!1.2")
        #expect(try !PythonVersion("1.0.post1").isPrerelease)
        #expect(try PythonVersion("1.0.post1.dev1").isPrerelease)
    }

    @Test func ordering() throws {
        let ordered = [
            "1.0.dev456", "1.0a1", "1.0a2.dev456", "1.0a12.dev456", "1.0a12", "1.0b1.dev456", "1.0b2",
            "1.0b2.post345.dev456", "1.0b2.post345", "1.0rc1.dev456", "1.0rc1", "1.0", "1.0+abc.5", "1.0+abc.7",
            "1.0+5", "1.0.post456.dev34", "1.0.post456", "1.0.15", "1.1.dev1", "1!0.1",
        ].map { try! PythonVersion($0) }
        for (a, b) in zip(ordered, ordered.dropFirst()) {
            #expect(a < b, "\(a) < \(b)")
        }
        #expect(ordered.shuffled().sorted() == ordered)
    }

    @Test func equality() throws {
        #expect(try PythonVersion("1.0") == PythonVersion("1.0.0"))
        #expect(try PythonVersion("1.0").hashValue == PythonVersion("1.0.0.0").hashValue)
        #expect(try PythonVersion("1.0") != PythonVersion("1.0+local"))
        #expect(try PythonVersion("1.0+1") > PythonVersion("1.0+abc"))
        #expect(try PythonVersion("1.0+abc.1") > PythonVersion("1.0+abc"))
        #expect(try PythonVersion("1.0+02") == PythonVersion("1.0+2"))
    }
}
