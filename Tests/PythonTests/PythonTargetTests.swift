import Python
import Testing

@Suite struct PythonTargetTests {
    @Test func spellsShortAndFullVersions() {
        let target = PythonTarget(major: 3, minor: 11, micro: 4, machine: "x86_64", libc: .glibc(major: 2, minor: 31))
        #expect(target.shortVersion == "3.11")
        #expect(target.fullVersion == "3.11.4")
        #expect(WheelTag(interpreter: "cp311", abi: "abi3", platform: "any").description == "cp311-abi3-any")
    }
}
