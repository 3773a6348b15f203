import OCI
import Recipe

/// What can go wrong in a build, beyond recipe validation (`RecipeErrors`). Recipe problems
/// found while building (a path to remove that the base lacks) are `RecipeError`s too.
public enum BuildError: Error, CustomStringConvertible, Sendable {
    /// A `pip` or `conda` step: not yet implemented.
    case stepNotImplemented(SourceLocation, kind: String, issue: Int)
    /// The base has no image for the platform.
    case platformNotInBase(base: String, wanted: Platform, available: [String])
    /// The base's image is for another platform than the recipe builds.
    case platformMismatch(base: String, wanted: Platform, actual: Platform)
    /// The base's manifest or config cannot be used.
    case unusableBase(base: String, reason: String)
    /// The content store could not be written.
    case storeFailed(path: String, reason: String)
    /// A copy source could not be read.
    case unreadableSource(path: String, reason: String)
    /// A file asked of the base filesystem view is not there.
    case noSuchFile(path: String)
    /// An image path names something that is not a regular file.
    case notAFile(path: String)
    /// A recorded layer of the view is missing from the content store.
    case missingLayer(Digest)
    /// `recipe.lock` cannot be read.
    case unreadableLock(path: String, reason: String)
    /// A pip or conda step cannot be carried out (resolution failed, a package cannot be
    /// linked); the reason says what to change.
    case stepFailed(SourceLocation, reason: String)
    /// `--locked`, and a pip/conda step's entry in the lock is missing or stale.
    case lockOutdated(SourceLocation, reason: String)

    public var description: String {
        switch self {
        case .stepNotImplemented(let location, let kind, let issue):
            let field = location.field.isEmpty ? "" : location.field + ": "
            return "\(location): \(field)\(kind) steps are not implemented yet (issue \(issue)); remove the step, or build it with a version of smimg that has them (`smimg build --dry-run` still prints the plan)"
        case .platformNotInBase(let base, let wanted, let available):
            return "the base image \(base) has no \(wanted) variant (it has: \(available.isEmpty ? "no platform information" : available.joined(separator: ", "))); set platform: in the recipe or --platform to one of them"
        case .platformMismatch(let base, let wanted, let actual):
            return "the base image \(base) is built for \(actual), but the recipe builds \(wanted); set platform: \(actual) in the recipe, or pick a base for \(wanted)"
        case .unusableBase(let base, let reason):
            return "cannot build on \(base): \(reason)"
        case .storeFailed(let path, let reason):
            return "cannot write the build cache at \(path): \(reason); check the permissions and free space, or point SMIMG_CACHE at another directory"
        case .unreadableSource(let path, let reason):
            return "cannot read \(path) to copy it: \(reason)"
        case .noSuchFile(let path):
            return "\(path) does not exist in the image"
        case .notAFile(let path):
            return "\(path) is not a regular file in the image"
        case .unreadableLock(let path, let reason):
            return "cannot read the lock file \(path): \(reason); fix it, or delete it to resolve again"
        case .lockOutdated(let location, let reason):
            let field = location.field.isEmpty ? "" : location.field + ": "
            return "\(location): \(field)the lock file does not cover this step (\(reason)); run the build without --locked to resolve and update it"
        case .stepFailed(let location, let reason):
            let field = location.field.isEmpty ? "" : location.field + ": "
            return "\(location): \(field)\(reason)"
        case .missingLayer(let digest):
            return "layer \(digest) is no longer in the content store (was the cache cleaned during the build?); run the build again"
        }
    }
}
