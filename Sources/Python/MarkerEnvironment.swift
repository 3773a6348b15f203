import Foundation

/// The values PEP 508 markers are evaluated against, plus the extras requested.
public struct MarkerEnvironment: Sendable, Hashable {
    public var values: [MarkerVariable: String]
    /// Requested extras, PEP 503-normalised.
    public var extras: Set<String>

    public init(values: [MarkerVariable: String], extras: some Sequence<String> = []) {
        self.values = values
        self.extras = Set(extras.map(ProjectName.normalize))
    }

    /// A Linux interpreter as read from an image. `platform_release` / `platform_version`
    /// (the kernel's, at run time) are unknown at build time and default to empty.
    public init(
        target: PythonTarget, extras: some Sequence<String> = [String](), platformRelease: String = "",
        platformVersion: String = ""
    ) {
        let pypy = target.implementation == "pp"
        self.init(
            values: [
                .pythonVersion: target.shortVersion,
                .pythonFullVersion: target.fullVersion,
                .osName: "posix",
                .sysPlatform: "linux",
                .platformSystem: "Linux",
                .platformMachine: target.machine,
                .platformRelease: platformRelease,
                .platformVersion: platformVersion,
                .implementationName: pypy ? "pypy" : "cpython",
                .platformPythonImplementation: pypy ? "PyPy" : "CPython",
                .implementationVersion: target.fullVersion,
            ], extras: extras)
    }

    /// A variable's value; empty when unset. `extra` is bound during evaluation instead.
    public subscript(variable: MarkerVariable) -> String { values[variable] ?? "" }
}
