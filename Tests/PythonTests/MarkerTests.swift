import Testing
@testable import Python

@Suite struct MarkerTests {
    let env = MarkerEnvironment(
        target: PythonTarget(major: 3, minor: 11, micro: 4, machine: "x86_64", libc: .glibc(major: 2, minor: 36)),
        extras: ["GPU_Support"])

    @Test func environmentFromTarget() {
        #expect(env[.pythonVersion] == "3.11")
        #expect(env[.pythonFullVersion] == "3.11.4")
        #expect(env[.osName] == "posix")
        #expect(env[.sysPlatform] == "linux")
        #expect(env[.platformSystem] == "Linux")
        #expect(env[.platformMachine] == "x86_64")
        #expect(env[.implementationName] == "cpython")
        #expect(env[.platformPythonImplementation] == "CPython")
        #expect(env[.implementationVersion] == "3.11.4")
        #expect(env.extras == ["gpu-support"])
    }

    @Test(arguments: [
        ("python_version >= \"3.8\"", true), ("python_version < '3.10'", false), ("python_version > \"3.9\"", true),
        ("python_full_version >= '3.11.4'", true), ("python_full_version < \"3.11.4\"", false),
        ("python_version == '3.11.*'", true), ("python_version ~= '3.9'", true), ("python_version != '3.11'", false),
        ("'3.12' > python_version", true),
        ("os_name == 'posix' and sys_platform == 'linux'", true), ("sys_platform == 'win32'", false),
        ("sys_platform == 'win32' or platform_machine == 'x86_64'", true),
        ("platform_machine == 'aarch64' or platform_system == 'Linux' and implementation_name == 'cpython'", true),
        ("(platform_machine == 'aarch64' or platform_system == 'Linux') and implementation_name == 'pypy'", false),
        ("'linux' in sys_platform", true), ("'lin' in sys_platform", true), ("'win' not in sys_platform", true),
        ("sys_platform not in 'win32 cygwin'", true), ("sys_platform in \"linux darwin\"", true),
        ("platform_python_implementation == \"CPython\"", true), ("platform_python_implementation != 'CPython'", false),
        ("extra == 'gpu-support'", true), ("extra == \"GPU.Support\"", true), ("extra == 'cpu'", false),
        ("extra == 'cpu' or python_version >= '3'", true),
        ("sys_platform < 'm'", true), ("os_name === 'posix'", true),
        ("platform_release >= '5'", false), ("python_implementation == 'CPython'", true),
        ("os.name == 'posix'", true),
    ])
    func evaluates(_ marker: String, _ expected: Bool) throws {
        #expect(try MarkerExpression(marker).evaluate(env) == expected, "\(marker)")
    }

    @Test func extraBindsOneValueAtATime() throws {
        let m = try MarkerExpression("extra == 'a' and extra == 'b'")
        let both = MarkerEnvironment(values: [:], extras: ["a", "b"])
        #expect(!m.evaluate(both))
        #expect(try MarkerExpression("extra == 'b'").evaluate(both))
        #expect(try !MarkerExpression("extra == 'b'").evaluate(MarkerEnvironment(values: [:])))
    }

    @Test func versionComparisonWhenBothSidesAreVersions() throws {
        let e = MarkerEnvironment(values: [.platformRelease: "5.10.0"])
        #expect(try MarkerExpression("platform_release >= '5.9'").evaluate(e))  // as strings "5.10.0" < "5.9"
        let s = MarkerEnvironment(values: [.platformRelease: "5.15.0-generic"])
        #expect(try !MarkerExpression("platform_release >= '5.9'").evaluate(s))  // string comparison
    }

    @Test func description() throws {
        let m = try MarkerExpression("(os_name=='posix' or os_name == \"nt\")and python_version<'3.9'")
        #expect(m.description == "(os_name == \"posix\" or os_name == \"nt\") and python_version < \"3.9\"")
        #expect(try MarkerExpression("extra == 'x'").mentionsExtra)
        #expect(!m.mentionsExtra)
    }

    @Test(arguments: [
        "", "python_version", "python_version >= ", "foo == 'x'", "python_version >= '3' and", "(os_name == 'x'",
        "os_name == 'x')", "os_name = 'x'", "os_name not 'x'", "os_name == \"x", "os_name == 'a' xor os_name == 'b'",
    ])
    func rejects(_ marker: String) {
        #expect(throws: MarkerError.self) { try MarkerExpression(marker) }
    }
}
