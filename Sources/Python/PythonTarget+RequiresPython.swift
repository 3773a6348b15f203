extension PythonTarget {
    /// `major.minor.micro` as a PEP 440 version.
    public var version: PythonVersion { PythonVersion(release: [major, minor, micro]) }

    /// Whether a `Requires-Python` / `data-requires-python` value admits this interpreter
    /// (pre-release rules do not apply to the interpreter's own version, as in pip).
    public func satisfies(requiresPython: SpecifierSet) -> Bool {
        requiresPython.contains(version, prereleases: true)
    }
}
