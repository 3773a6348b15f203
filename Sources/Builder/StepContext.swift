import Fetch
import Recipe

/// Everything a step's preparation may use: the recipe (for relative paths), the content
/// store, the filesystem as the step sees it (the base plus every earlier layer), the network,
/// the lock file.
struct StepContext: Sendable {
    var recipe: Recipe
    var store: ContentStore
    var filesystem: ImageFilesystem
    var fetcher: Fetcher
    var lock: LockBook
    var options: BuildOptions
    var progress: any BuildProgress
    /// `plan()`: no network and no writes; a step that cannot know its layer offline returns nil.
    var dryRun: Bool
}
