import Testing
@testable import Python

@Suite struct RequirementTests {
    @Test func projectNames() {
        #expect(ProjectName.normalize("Torch_Geometric") == "torch-geometric")
        #expect(ProjectName.normalize("zope.interface") == "zope-interface")
        #expect(ProjectName.normalize("A-_.-B") == "a-b")
        #expect(ProjectName.wheelForm("Torch-Geometric") == "torch_geometric")
        #expect(ProjectName.isValid("a.b-c_d9"))
        #expect(!ProjectName.isValid("-a"))
        #expect(!ProjectName.isValid("a b"))
    }

    @Test func nameOnly() throws {
        let r = try Requirement("requests")
        #expect(r.name == "requests")
        #expect(r.extras.isEmpty)
        #expect(r.specifier.isEmpty)
        #expect(r.url == nil)
        #expect(r.marker == nil)
        #expect(r.description == "requests")
    }

    @Test func extrasSpecifierMarker() throws {
        let r = try Requirement("Requests[Security, socks] >=2.8.1, ==2.8.* ; python_version < \"2.7\"")
        #expect(r.name == "Requests")
        #expect(r.normalizedName == "requests")
        #expect(r.extras == ["Security", "socks"])
        #expect(r.specifier.description == ">=2.8.1,==2.8.*")
        #expect(r.marker == (try MarkerExpression("python_version < '2.7'")))
        #expect(r.description == "Requests[Security,socks]>=2.8.1,==2.8.*; python_version < \"2.7\"")
    }

    @Test func parenthesisedSpecifier() throws {
        let r = try Requirement("name (>=1.0, <2.0)")
        #expect(r.specifier.contains(try PythonVersion("1.5")))
        #expect(!r.specifier.contains(try PythonVersion("2.0")))
        #expect(try Requirement("name(==1.0)").specifier.description == "==1.0")
    }

    @Test func directURL() throws {
        let r = try Requirement("pip @ https://github.com/pypa/pip/archive/1.3.1.zip#sha1=da9234ee ; os_name == 'posix'")
        #expect(r.name == "pip")
        #expect(r.url == "https://github.com/pypa/pip/archive/1.3.1.zip#sha1=da9234ee")
        #expect(r.marker != nil)
        #expect(r.description == "pip @ https://github.com/pypa/pip/archive/1.3.1.zip#sha1=da9234ee ; os_name == \"posix\"")
        let t = try Requirement("torch[cuda]@file:///wheels/torch-2.0.1+cu118-cp311-cp311-linux_x86_64.whl")
        #expect(t.extras == ["cuda"])
        #expect(t.url == "file:///wheels/torch-2.0.1+cu118-cp311-cp311-linux_x86_64.whl")
    }

    @Test func applies() throws {
        let env = MarkerEnvironment(
            target: PythonTarget(major: 3, minor: 8, machine: "aarch64", libc: .glibc(major: 2, minor: 31)),
            extras: ["test"])
        #expect(try Requirement("importlib-metadata; python_version < '3.10'").applies(in: env))
        #expect(try !Requirement("tomli; python_version >= '3.11'").applies(in: env))
        #expect(try Requirement("pytest; extra == 'test'").applies(in: env))
        #expect(try !Requirement("sphinx; extra == 'docs'").applies(in: env))
        #expect(try Requirement("numpy").applies(in: env))
    }

    @Test(arguments: [
        "", ">=1.0", "name[", "name[a b]", "name >=", "name (>=1.0", "name @ ", "name @ nocolon",
        "name @ https://x/y os_name=='posix'", "name; ", "name ; foo == 'x'", "na me",
    ])
    func rejects(_ text: String) {
        #expect(throws: RequirementError.self) { try Requirement(text) }
    }
}
