import Testing
@testable import Python

@Suite struct VersionSpecifierTests {
    func set(_ s: String) throws -> SpecifierSet { try SpecifierSet(s) }
    func v(_ s: String) -> PythonVersion { try! PythonVersion(s) }

    @Test(arguments: [
        // (specifiers, version, contained)
        ("==2.1.0", "2.1.0+cu118", true), ("==2.1", "2.1.0", true), ("==2.1.0+cu118", "2.1.0", false),
        ("==2.1.0+cu118", "2.1.0+cu118", true), ("==2.1.0+cu118", "2.1.0+cu117", false),
        ("!=2.1.0", "2.1.0+cu118", false), ("!=2.1.0", "2.1.1", true),
        ("==2.*", "2.9.1", true), ("==2.*", "3.0", false), ("==1.1.*", "1.1", true), ("==1.1.*", "1.10", false),
        ("==1.1.*", "1.1.post1", true), ("!=1.1.*", "1.2", true), ("!=1.1.*", "1.1.3", false),
        ("==1!1.*", "1.1", false),
        ("<2.0", "1.9", true), ("<2.0", "2.0", false), ("<2.0", "2.0rc1", false), ("<2.0rc2", "2.0rc1", true),
        ("<=2.0", "2.0+local", true), ("<=2.0", "2.0.post1", false),
        (">2.0", "2.0.post1", false), (">2.0", "2.0.1", true), (">2.0", "2.0+local", false),
        (">2.0.post1", "2.0.post2", true), (">=2.0", "2.0", true), (">=2.0", "2.0+local", true),
        ("~=2.2", "2.2", true), ("~=2.2", "2.9", true), ("~=2.2", "3.0", false), ("~=2.2", "2.1", false),
        ("~=1.4.5", "1.4.9", true), ("~=1.4.5", "1.5.0", false), ("~=2.2.post3", "2.2.post4", true),
        ("~=2.2.post3", "2.2", false), ("~=2.2.post3", "2.3", true),
        ("===1.0", "1.0", true), ("===1.0", "1.0.0", false),
        (">=1.0,<2.0,!=1.5.*", "1.5.2", false), (">=1.0, <2.0, !=1.5.*", "1.6", true),
        ("", "1.0", true), ("", "1.0a1", false),
        (">=1.0", "2.0a1", false), (">=1.0b1", "2.0a1", true), ("==2.0rc1", "2.0rc1", true),
        ("<3", "3.0.dev1", false), (">=3.10", "3.9", false),
    ])
    func contains(_ specs: String, _ version: String, _ expected: Bool) throws {
        #expect(try set(specs).contains(v(version)) == expected)
    }

    @Test func explicitPrereleases() throws {
        #expect(try set(">=1.0").contains(v("2.0a1"), prereleases: true))
        #expect(try !set(">=1.0b1").contains(v("2.0a1"), prereleases: false))
        #expect(try !set("!=2.0a1").mentionsPrerelease)
        #expect(try VersionSpecifier("==1.0.*").mentionsPrerelease == false)
        #expect(try VersionSpecifier("<2.0rc1").mentionsPrerelease)
        #expect(try !set("<2.0").contains(v("2.0rc1"), prereleases: true))
    }

    @Test func filterFallsBackToPrereleases() throws {
        let all = ["1.0", "1.1", "2.0a1"].map(v)
        #expect(try set(">=1.0").filter(all) == [v("1.0"), v("1.1")])
        #expect(try set(">=1.5").filter(all) == [v("2.0a1")])
        #expect(try set(">=1.5").filter(all, prereleases: false) == [])
    }

    @Test func arbitraryString() throws {
        #expect(try VersionSpecifier("===foobar").contains("FooBar"))
        #expect(try !VersionSpecifier("==1.0").contains("foobar"))
    }

    @Test func spelling() throws {
        #expect(try set(" >= 1.0 , < 2 ").description == ">=1.0,<2")
        #expect(try VersionSpecifier("== 1.1.*").description == "==1.1.*")
        #expect(try VersionSpecifier("~=1.0").op == .compatible)
        #expect(try VersionSpecifier("===1.0").op == .arbitrary)
    }

    @Test(arguments: ["1.0", "=>1.0", "~=1", ">=1.*", "<=1.0+local", "==1.0a1.*", "==", ">=1.0,", "== 1 0"])
    func rejects(_ text: String) {
        #expect(throws: VersionSpecifierError.self) { try SpecifierSet(text) }
    }
}

@Suite struct RequiresPythonTests {
    @Test func targetAgainstRequiresPython() throws {
        let t = PythonTarget(major: 3, minor: 8, micro: 10, machine: "x86_64", libc: .unknown)
        #expect(t.version.description == "3.8.10")
        #expect(t.satisfies(requiresPython: try SpecifierSet(">=3.7")))
        #expect(t.satisfies(requiresPython: try SpecifierSet(">=3.8, !=3.8.0")))
        #expect(!t.satisfies(requiresPython: try SpecifierSet(">=3.9")))
        #expect(t.satisfies(requiresPython: try SpecifierSet("~=3.8")))
        #expect(t.satisfies(requiresPython: try SpecifierSet("==3.*")))
        #expect(t.satisfies(requiresPython: SpecifierSet()))
    }
}
