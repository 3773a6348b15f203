import Foundation
import OCI
import Python

/// The Python a `pip:` step installs for, read from the image's files (nothing runs in it): the
/// interpreter, its version, where pip would put packages and scripts, where installed
/// distributions are found, and the wheel tags it accepts (`target`).
///
/// Layouts:
/// - a prefix interpreter (`/usr/local/bin/python3` in `python:3.x-slim`, `/opt/conda/bin/python3`
///   in DLC images): `PREFIX/lib/pythonX.Y/site-packages`, scripts in `PREFIX/bin`;
/// - Debian's `/usr/bin/python3`: pip installs into `/usr/local/lib/pythonX.Y/dist-packages` and
///   `/usr/local/bin`, and distributions are also found in `/usr/lib/python3/dist-packages`.
struct PythonEnvironment: Sendable, Hashable {
    /// The interpreter as named (`/usr/local/bin/python3`) and as its links resolve.
    var interpreter: String
    var resolvedInterpreter: String
    var target: PythonTarget
    /// Where new distributions go (pure and platform-specific are one directory on Linux
    /// unless the image has a separate `lib64` one).
    var purelib: String
    var platlib: String
    var scripts: String
    var data: String
    var headers: String
    /// Every directory on the interpreter's `sys.path` that can hold distributions, `purelib` first.
    var sitePackages: [String]

    /// `cp311-x86_64-glibc_2_36 /usr/local`: what a lock entry was resolved for.
    var lockTarget: String {
        let libc: String
        switch target.libc {
        case .glibc(let major, let minor): libc = "glibc_\(major)_\(minor)"
        case .musl(let major, let minor): libc = "musl_\(major)_\(minor)"
        case .unknown: libc = "libc_unknown"
        }
        return "\(target.implementation)\(target.major)\(target.minor)\(target.abiFlags)-\(target.machine)-\(libc) \(purelib)"
    }

    static let usualInterpreters = ["/opt/conda/bin/python3", "/usr/local/bin/python3", "/usr/bin/python3"]

    enum DetectionError: Error, CustomStringConvertible {
        case noInterpreter(tried: [String])
        case unknownVersion(interpreter: String)
        case unknownMachine(Platform)

        var description: String {
            switch self {
            case .noInterpreter(let tried):
                return "the image has no Python interpreter (tried \(tried.joined(separator: ", "))); set python: to the interpreter's path in the image"
            case .unknownVersion(let interpreter):
                return "cannot tell the version of \(interpreter) from the image's files (no pythonX.Y name, lib/pythonX.Y directory or conda-meta record); set python: to the versioned interpreter, e.g. /usr/bin/python3.11"
            case .unknownMachine(let platform):
                return "no wheel platform tag is known for \(platform)"
            }
        }
    }

    static func detect(in filesystem: ImageFilesystem, platform: Platform, interpreter explicit: String?) throws -> PythonEnvironment {
        let candidates = explicit.map { [$0] } ?? usualInterpreters
        guard let interpreter = candidates.first(where: { path in
            guard let resolved = filesystem.resolve(path), let entry = filesystem.entry(resolved) else { return false }
            return entry.kind == .regular || entry.kind == .hardLink
        }) else {
            throw DetectionError.noInterpreter(tried: candidates)
        }
        let resolved = filesystem.resolve(interpreter) ?? interpreter
        let binDirectory = (interpreter as NSString).deletingLastPathComponent
        let prefix = (binDirectory as NSString).deletingLastPathComponent
        guard let (major, minor, abiFlags) = version(interpreter: interpreter, resolved: resolved, prefix: prefix, filesystem: filesystem) else {
            throw DetectionError.unknownVersion(interpreter: interpreter)
        }
        guard let machine = machine(for: platform) else { throw DetectionError.unknownMachine(platform) }
        let micro = microVersion(major: major, minor: minor, prefix: prefix, filesystem: filesystem)
        let target = PythonTarget(
            implementation: "cp", major: major, minor: minor, micro: micro, machine: machine, libc: LibCDetector.detect(in: filesystem),
            abiFlags: abiFlags)
        let short = "python\(major).\(minor)\(abiFlags)"
        let isDebianSystem = prefix == "/usr" && filesystem.entry("/usr/lib/python3/dist-packages")?.isDirectory == true
        if isDebianSystem {
            let site = "/usr/local/lib/\(short)/dist-packages"
            return PythonEnvironment(
                interpreter: interpreter, resolvedInterpreter: resolved, target: target, purelib: site, platlib: site,
                scripts: "/usr/local/bin", data: "/usr/local", headers: "/usr/local/include/\(short)",
                sitePackages: [site, "/usr/lib/python3/dist-packages", "/usr/lib/\(short)/dist-packages"])
        }
        let purelib = "\(prefix)/lib/\(short)/site-packages"
        let lib64 = "\(prefix)/lib64/\(short)/site-packages"
        let platlib = filesystem.entry(lib64)?.isDirectory == true && filesystem.resolve(lib64) != filesystem.resolve(purelib) ? lib64 : purelib
        return PythonEnvironment(
            interpreter: interpreter, resolvedInterpreter: resolved, target: target, purelib: purelib, platlib: platlib,
            scripts: binDirectory, data: prefix, headers: "\(prefix)/include/\(short)",
            sitePackages: platlib == purelib ? [purelib] : [purelib, platlib])
    }

    /// `X.Y` and ABI flags from the interpreter's resolved name (`python3.11`, `python3.13t`), else
    /// the prefix's only `lib/pythonX.Y`, else a conda `python` record.
    static func version(interpreter: String, resolved: String, prefix: String, filesystem: ImageFilesystem) -> (Int, Int, String)? {
        for name in [(resolved as NSString).lastPathComponent, (interpreter as NSString).lastPathComponent] {
            if let parsed = parse(name) { return parsed }
        }
        let libraries = filesystem.glob(prefix + "/lib/python3.*").compactMap { parse(($0 as NSString).lastPathComponent) }
        if libraries.count == 1 { return libraries[0] }
        if let record = filesystem.glob(prefix + "/conda-meta/python-3.*.json").first,
           let parsed = parse("python" + ((record as NSString).lastPathComponent.dropFirst("python-".count).split(separator: "-").first.map(String.init) ?? "")) {
            return parsed
        }
        return nil
    }

    /// `python3.11` → (3, 11, ""); `python3.13t` → (3, 13, "t"); `python3.11.4` → (3, 11, "").
    static func parse(_ name: String) -> (Int, Int, String)? {
        guard name.hasPrefix("python") else { return nil }
        var rest = Substring(name.dropFirst("python".count))
        var flags = ""
        if rest.hasSuffix("t") {
            flags = "t"
            rest = rest.dropLast()
        }
        let parts = rest.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count >= 2, let major = Int(parts[0]), let minor = Int(parts[1]), major == 3 else { return nil }
        return (major, minor, flags)
    }

    /// The patch level, for `python_full_version` markers: conda's python record, `patchlevel.h`,
    /// or Debian's package status; 0 when none says.
    static func microVersion(major: Int, minor: Int, prefix: String, filesystem: ImageFilesystem) -> Int {
        let short = "\(major).\(minor)."
        if let record = filesystem.glob(prefix + "/conda-meta/python-\(major).\(minor).*.json").first {
            let version = (record as NSString).lastPathComponent.dropFirst("python-".count).split(separator: "-").first ?? ""
            if version.hasPrefix(short), let micro = Int(version.dropFirst(short.count).prefix { $0.isNumber }) { return micro }
        }
        if let bytes = try? filesystem.readFile("\(prefix)/include/python\(major).\(minor)/patchlevel.h", limit: 1 << 20) {
            let text = String(decoding: bytes, as: UTF8.self)
            if let range = text.range(of: "#define PY_VERSION \"\(short)") {
                if let micro = Int(text[range.upperBound...].prefix { $0.isNumber }) { return micro }
            }
        }
        if let bytes = try? filesystem.readFile("/var/lib/dpkg/status", limit: 64 << 20) {
            let text = String(decoding: bytes, as: UTF8.self)
            if let range = text.range(of: "Package: python\(major).\(minor)-minimal\n") {
                let stanza = text[range.upperBound...].prefix { _ in true }
                if let version = stanza.range(of: "\nVersion: \(short)") ?? stanza.range(of: "Version: \(short)") {
                    if let micro = Int(stanza[version.upperBound...].prefix { $0.isNumber }) { return micro }
                }
            }
        }
        return 0
    }

    static func machine(for platform: Platform) -> String? {
        ["amd64": "x86_64", "arm64": "aarch64", "ppc64le": "ppc64le", "s390x": "s390x", "386": "i686", "arm": "armv7l"][platform.architecture]
    }
}
