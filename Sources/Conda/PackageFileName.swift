/// Package file names: `name-version-build.conda` or `.tar.bz2`.
public enum PackageFileName {
    public static let extensions = [".conda", ".tar.bz2"]

    /// The stem without `.conda` or `.tar.bz2`; nil for other files.
    public static func stem(_ fileName: String) -> String? {
        for suffix in extensions where fileName.hasSuffix(suffix) && fileName.count > suffix.count {
            return String(fileName.dropLast(suffix.count))
        }
        return nil
    }

    /// Name, version and build from the last two dashes of the stem (names may contain dashes).
    public static func split(_ fileName: String) -> (name: String, version: String, build: String)? {
        guard let stem = stem(fileName) else { return nil }
        let pieces = stem.split(separator: "-", omittingEmptySubsequences: false)
        guard pieces.count >= 3 else { return nil }
        let build = String(pieces[pieces.count - 1])
        let version = String(pieces[pieces.count - 2])
        let name = pieces[..<(pieces.count - 2)].joined(separator: "-")
        guard !name.isEmpty, !version.isEmpty, !build.isEmpty else { return nil }
        return (name, version, build)
    }
}
