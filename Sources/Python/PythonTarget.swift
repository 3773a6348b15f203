/// The interpreter a pip step installs for, as read from the image's files (nothing runs in
/// the image): what wheel tags it accepts and how environment markers evaluate.
///
/// The builder detects it (interpreter path, `lib/pythonX.Y`, the C library's version); the
/// resolver derives the supported tags and the marker environment from it.
public struct PythonTarget: Sendable, Hashable, Codable {
    /// The C library wheels must be built against.
    public enum LibC: Sendable, Hashable, Codable {
        /// glibc 2.minor: `manylinux_2_{minor}` and older.
        case glibc(major: Int, minor: Int)
        /// musl 1.minor: `musllinux_1_{minor}` and older.
        case musl(major: Int, minor: Int)
        /// Not detected: only `linux_<machine>` and pure-Python wheels apply.
        case unknown
    }

    /// `sys.implementation` short name as used in tags: `cp` (CPython), `pp` (PyPy).
    public var implementation: String
    public var major: Int
    public var minor: Int
    /// 0 when only `X.Y` could be read from the image.
    public var micro: Int
    /// `platform.machine()`: `x86_64`, `aarch64`.
    public var machine: String
    public var libc: LibC
    /// `sys.abiflags`: empty from CPython 3.8 on, `t` for free-threaded builds.
    public var abiFlags: String

    public init(
        implementation: String = "cp", major: Int, minor: Int, micro: Int = 0, machine: String, libc: LibC,
        abiFlags: String = ""
    ) {
        self.implementation = implementation
        self.major = major
        self.minor = minor
        self.micro = micro
        self.machine = machine
        self.libc = libc
        self.abiFlags = abiFlags
    }

    /// `3.11`.
    public var shortVersion: String { "\(major).\(minor)" }
    /// `3.11.4`.
    public var fullVersion: String { "\(major).\(minor).\(micro)" }
}
