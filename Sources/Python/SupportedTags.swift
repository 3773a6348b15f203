import Foundation

/// The wheel tags a target accepts, in pip's order of preference (packaging's `sys_tags` for
/// CPython on Linux: `cpython_tags` then `compatible_tags`).
extension PythonTarget {
    /// Platform tags, best first: `manylinux_2_G_arch` from the target's glibc down to 2.17
    /// (2.5 on x86_64 / i686) with `manylinux2014`, `manylinux2010`, `manylinux1` after 2.17,
    /// 2.12 and 2.5; or `musllinux_1_M_arch` down to 1.0; then `linux_arch`.
    public func platformTags() -> [String] {
        let arch = machine
        var out: [String] = []
        switch libc {
        case .glibc(let major, let minor):
            // packaging's `_have_compatible_abi` (armv7l and i686 are assumed hard-float / i686 ELF).
            let known: Set<String> = [
                "x86_64", "i686", "aarch64", "armv7l", "ppc64", "ppc64le", "s390x", "loongarch64", "riscv64",
            ]
            guard known.contains(arch) else { break }
            let tooOld = (arch == "x86_64" || arch == "i686") ? (2, 4) : (2, 16)
            let legacy = [17: "manylinux2014", 12: "manylinux2010", 5: "manylinux1"]
            // Newer glibc majors are assumed compatible with every earlier one (last minor 50, as packaging guesses).
            var maxima = [(major, minor)]
            if major > 2 { for m in stride(from: major - 1, through: 2, by: -1) { maxima.append((m, 50)) } }
            for (maj, top) in maxima {
                let floor = maj == tooOld.0 ? tooOld.1 : -1
                guard top > floor else { continue }
                for m in stride(from: top, to: floor, by: -1) {
                    out.append("manylinux_\(maj)_\(m)_\(arch)")
                    if maj == 2, let name = legacy[m] { out.append("\(name)_\(arch)") }
                }
            }
        case .musl(let major, let minor):
            for m in stride(from: minor, through: 0, by: -1) { out.append("musllinux_\(major)_\(m)_\(arch)") }
        case .unknown:
            break
        }
        out.append("linux_\(arch)")
        return out
    }

    /// Every supported tag, best first (index 0 is the most specific).
    public func supportedTags() -> [WheelTag] {
        let platforms = platformTags()
        var tags: [WheelTag] = []
        func add(_ interpreter: String, _ abi: String, _ platforms: [String]) {
            for p in platforms { tags.append(WheelTag(interpreter: interpreter, abi: abi, platform: p)) }
        }
        let nodot = "\(major)\(minor)"
        let interpreter: String
        if implementation == "cp" {
            interpreter = "cp\(nodot)"
            let abi = "cp\(nodot)\(abiFlags)"
            add(interpreter, abi, platforms)
            if abiFlags.contains("d") {
                add(interpreter, "cp\(nodot)\(abiFlags.replacingOccurrences(of: "d", with: ""))", platforms)
            }
            // abi3 does not apply to free-threaded builds.
            let abi3 = (major, minor) >= (3, 2) && !abiFlags.contains("t")
            if abi3 { add(interpreter, "abi3", platforms) }
            add(interpreter, "none", platforms)
            if abi3 { for m in stride(from: minor - 1, to: 1, by: -1) { add("cp\(major)\(m)", "abi3", platforms) } }
        } else {
            // Other implementations (generic_tags): their own interpreter tag with no ABI.
            interpreter = "\(implementation)\(nodot)"
            add(interpreter, "none", platforms)
        }
        // compatible_tags
        var pyRange = ["py\(nodot)", "py\(major)"]
        for m in stride(from: minor - 1, through: 0, by: -1) { pyRange.append("py\(major)\(m)") }
        for py in pyRange { add(py, "none", platforms) }
        tags.append(WheelTag(interpreter: interpreter, abi: "none", platform: "any"))
        for py in pyRange { tags.append(WheelTag(interpreter: py, abi: "none", platform: "any")) }
        return tags
    }

    /// The lookup table for ranking many wheels against this target.
    public func tagPriorities() -> TagPriorities { TagPriorities(supportedTags()) }

    /// The wheel's best tag's index in `supportedTags()` (lower is better); nil when no tag fits.
    public func priority(of wheel: WheelFilename) -> Int? { tagPriorities().priority(of: wheel) }
}

/// Supported tags indexed for ranking: `priority(of:)` is the best index among a wheel's tags.
public struct TagPriorities: Sendable {
    public let tags: [WheelTag]
    private let index: [WheelTag: Int]

    public init(_ tags: [WheelTag]) {
        self.tags = tags
        var index: [WheelTag: Int] = [:]
        for (i, t) in tags.enumerated() where index[t] == nil { index[t] = i }
        self.index = index
    }

    public func priority(of tag: WheelTag) -> Int? { index[tag] }

    /// Lower is better; nil = incompatible.
    public func priority(of wheel: WheelFilename) -> Int? { wheel.tags.compactMap { index[$0] }.min() }
}
