import Testing
@testable import Python

@Suite struct SupportedTagsTests {
    let cp311x86 = PythonTarget(major: 3, minor: 11, machine: "x86_64", libc: .glibc(major: 2, minor: 36))

    func names(_ tags: [WheelTag]) -> [String] { tags.map(\.description) }
    func wheel(_ s: String) -> WheelFilename { try! WheelFilename(s) }

    @Test func matchesPackagingOnAarch64Glibc217() {
        let t = PythonTarget(major: 3, minor: 11, machine: "aarch64", libc: .glibc(major: 2, minor: 17))
        #expect(t.platformTags() == ["manylinux_2_17_aarch64", "manylinux2014_aarch64", "linux_aarch64"])
        #expect(names(t.supportedTags()) == SupportedTagsFixtures.cp311Aarch64Glibc217)
    }

    @Test func glibc236X86_64Platforms() {
        let p = cp311x86.platformTags()
        #expect(p == SupportedTagsFixtures.glibc236X86_64Platforms)
        #expect(p.first == "manylinux_2_36_x86_64")
        #expect(p[p.firstIndex(of: "manylinux_2_17_x86_64")! + 1] == "manylinux2014_x86_64")
        #expect(p[p.firstIndex(of: "manylinux_2_12_x86_64")! + 1] == "manylinux2010_x86_64")
        #expect(p.suffix(2) == ["manylinux1_x86_64", "linux_x86_64"])
    }

    @Test func cp311X86_64Order() {
        // Indices as printed by packaging for the same target.
        let n = names(cp311x86.supportedTags())
        #expect(n.count == 914)
        #expect(n.firstIndex(of: "cp311-cp311-manylinux_2_17_x86_64") == 19)
        #expect(n.firstIndex(of: "cp311-cp311-manylinux2014_x86_64") == 20)
        #expect(n.firstIndex(of: "cp311-cp311-manylinux1_x86_64") == 34)
        #expect(n.firstIndex(of: "cp311-cp311-linux_x86_64") == 35)
        #expect(n.firstIndex(of: "cp311-abi3-manylinux_2_28_x86_64") == 44)
        #expect(n.firstIndex(of: "cp37-abi3-manylinux2014_x86_64") == 236)
        #expect(n.firstIndex(of: "py3-none-manylinux_2_17_x86_64") == 487)
        #expect(n.firstIndex(of: "cp311-none-any") == 900)
        #expect(n.firstIndex(of: "py3-none-any") == 902)
        #expect(n.last == "py30-none-any")
        #expect(!n.contains("py2-none-any"))
    }

    @Test func muslTarget() {
        let t = PythonTarget(major: 3, minor: 8, machine: "x86_64", libc: .musl(major: 1, minor: 2))
        #expect(names(t.supportedTags()) == SupportedTagsFixtures.cp38X86_64Musl12)
    }

    @Test func aarch64StopsAt217AndUnknownLibc() {
        let old = PythonTarget(major: 3, minor: 11, machine: "aarch64", libc: .glibc(major: 2, minor: 12))
        #expect(old.platformTags() == ["linux_aarch64"])
        let unknown = PythonTarget(major: 3, minor: 11, machine: "x86_64", libc: .unknown)
        #expect(unknown.platformTags() == ["linux_x86_64"])
        let exotic = PythonTarget(major: 3, minor: 11, machine: "mips", libc: .glibc(major: 2, minor: 31))
        #expect(exotic.platformTags() == ["linux_mips"])
    }

    @Test func freeThreadedHasNoAbi3() {
        let t = PythonTarget(major: 3, minor: 13, machine: "x86_64", libc: .unknown, abiFlags: "t")
        #expect(names(t.supportedTags()).prefix(2) == ["cp313-cp313t-linux_x86_64", "cp313-none-linux_x86_64"])
        #expect(!t.supportedTags().contains { $0.abi == "abi3" })
    }

    @Test func priorities() {
        let t = cp311x86
        let native = wheel("numpy-1.26.4-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl")
        let abi3 = wheel("cryptography-42.0.5-cp39-abi3-manylinux_2_28_x86_64.whl")
        let pure = wheel("six-1.16.0-py2.py3-none-any.whl")
        let torch = wheel("torch-2.0.1+cu118-cp311-cp311-linux_x86_64.whl")
        #expect(t.priority(of: native) == 19)
        #expect(t.priority(of: torch) == 35)
        #expect(t.priority(of: pure) == 902)
        #expect(t.priority(of: abi3)! > t.priority(of: native)!)
        #expect(t.priority(of: abi3)! < t.priority(of: pure)!)
        #expect(t.priority(of: wheel("numpy-1.26.4-cp312-cp312-manylinux_2_17_x86_64.whl")) == nil)
        #expect(t.priority(of: wheel("numpy-1.26.4-cp311-cp311-manylinux_2_38_x86_64.whl")) == nil)
        #expect(t.priority(of: wheel("numpy-1.26.4-cp311-cp311-musllinux_1_1_x86_64.whl")) == nil)
        #expect(t.priority(of: wheel("numpy-1.26.4-cp311-cp311-win_amd64.whl")) == nil)
        let table = t.tagPriorities()
        #expect(table.priority(of: native) == 19)
        #expect(table.priority(of: WheelTag(interpreter: "py3", abi: "none", platform: "any")) == 902)
    }
}
