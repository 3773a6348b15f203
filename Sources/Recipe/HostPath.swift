/// A file or directory on the machine running the build, named in a recipe relative to the
/// recipe's directory.
public struct HostPath: Sendable, Hashable, CustomStringConvertible {
    /// As written, normalized (`./app/` → `app`): what the recipe digest covers, the same on
    /// every machine.
    public var written: String
    /// The absolute path on this machine (`/home/me/project/app`), not resolved through links.
    public var absolute: String
    public var location: SourceLocation

    public init(written: String, absolute: String, location: SourceLocation) {
        self.written = written
        self.absolute = absolute
        self.location = location
    }

    public var description: String { written }
}
