import Foundation

/// Applies the host-path rules: paths are relative to the recipe's directory and may not leave
/// it (by `..`, by being absolute, or through a symbolic link) unless the step allows it; when
/// files are checked, the path must exist and be of the expected kind.
struct HostPathChecker {
    enum Kind {
        case any, file, directory

        var noun: String {
            switch self {
            case .any: return "file or directory"
            case .file: return "file"
            case .directory: return "directory"
            }
        }
    }

    /// Absolute, normalized.
    let baseDirectory: String
    /// Whether existence, kind and symbolic links are checked on disk.
    let checksFiles: Bool

    init(baseDirectory: String, checksFiles: Bool) {
        let absolute = baseDirectory.hasPrefix("/")
            ? baseDirectory
            : FileManager.default.currentDirectoryPath + "/" + baseDirectory
        self.baseDirectory = PathNormalizer.normalize(absolute)
        self.checksFiles = checksFiles
    }

    /// The checked path, or nil after reporting why it is refused.
    func check(
        _ written: String, field: Field, allowOutside: Bool, kind: Kind = .any,
        outsideHint: String = "move it next to the recipe, or set allow_outside: true on this step",
        in context: RecipeParseContext
    ) -> HostPath? {
        let location = field.location(in: context)
        let normalizedWritten = PathNormalizer.normalize(written)
        let absolute = written.hasPrefix("/")
            ? normalizedWritten
            : PathNormalizer.normalize(baseDirectory + "/" + written)
        if !allowOutside {
            if written.hasPrefix("/") {
                context.report(
                    at: location, "\(Quoted.text(written)) is an absolute host path; host paths are relative to the recipe's directory",
                    suggestion: outsideHint)
                return nil
            }
            if !PathNormalizer.isInside(absolute, directory: baseDirectory) {
                context.report(
                    at: location, "\(Quoted.text(written)) is outside the recipe's directory", suggestion: outsideHint)
                return nil
            }
        }
        if checksFiles {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: absolute, isDirectory: &isDirectory) else {
                context.report(at: location, "\(Quoted.text(written)) does not exist (looked for \(absolute))")
                return nil
            }
            if kind == .file, isDirectory.boolValue {
                context.report(at: location, "\(Quoted.text(written)) is a directory; expected a file")
                return nil
            }
            if kind == .directory, !isDirectory.boolValue {
                context.report(at: location, "\(Quoted.text(written)) is not a directory")
                return nil
            }
            if !allowOutside, let real = Self.realPath(absolute), let realBase = Self.realPath(baseDirectory),
               !PathNormalizer.isInside(real, directory: realBase) {
                context.report(
                    at: location,
                    "\(Quoted.text(written)) leads through a symbolic link to \(real), outside the recipe's directory",
                    suggestion: outsideHint)
                return nil
            }
        }
        return HostPath(written: normalizedWritten, absolute: absolute, location: location)
    }

    /// The path with every symbolic link resolved, nil when it cannot be resolved.
    static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}
