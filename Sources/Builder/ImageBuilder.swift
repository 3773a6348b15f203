import Archive
import Catalog
import Fetch
import Foundation
import Layout
import OCI
import Recipe
import Registry

/// Builds a recipe into an image without running anything inside it: fetches the base (its
/// manifest and config; its layers only when a step needs the filesystem), writes one layer per
/// `copy`/`remove` step (or reuses it from the build cache), edits the configuration for the
/// other steps, and assembles the manifest in the base's media-type family.
///
/// The result is a `BuiltImageSource`; `ImageCopier` writes it to a layout, an archive or a
/// registry.
public struct ImageBuilder: Sendable {
    public static let baseNameLabel = "org.opencontainers.image.base.name"
    public static let baseDigestLabel = "org.opencontainers.image.base.digest"
    public static let recipeDigestLabel = "dev.smimg.recipe.digest"

    public let recipe: Recipe
    public let store: ContentStore
    public let registry: RegistryClient?
    public let options: BuildOptions
    public let progress: any BuildProgress

    public init(
        recipe: Recipe, store: ContentStore, registry: RegistryClient?, options: BuildOptions = BuildOptions(),
        progress: any BuildProgress = SilentBuildProgress()
    ) {
        self.recipe = recipe
        self.store = store
        self.registry = registry
        self.options = options
        self.progress = progress
    }

    public var platform: Platform { options.platform ?? recipe.platform }

    /// The base as a reference, layout or scratch; DLC specs resolved through the catalog.
    public func resolvedBase() throws -> ResolvedBase {
        switch recipe.base {
        case .reference(let reference): return .registry(reference, dlc: nil)
        case .ociLayout(let layout): return .ociLayout(layout)
        case .scratch: return .scratch
        case .dlc:
            let catalog = try options.catalog ?? Catalog.load()
            return try recipe.resolveBase(using: DLCResolver(catalog: catalog))
        }
    }

    /// The first step this version cannot build, as an error at its place in the recipe.
    public func unimplementedStep() -> BuildError? {
        for step in recipe.steps {
            switch step.step {
            default: continue
            }
        }
        return nil
    }

    // MARK: build

    /// Where the recipe's lock file is (`recipe.lock` next to `recipe.yml`).
    public var lockPath: String { RecipeLock.path(forRecipe: recipe.file) }

    public func build() async throws -> BuildResult {
        let resolved = try resolvedBase()
        if let unimplemented = unimplementedStep() { throw unimplemented }
        let lock = try LockBook(path: lockPath, locked: options.locked)
        return try await Fetcher.with(settings: options.fetch) { fetcher in
            try await build(resolved, lock: lock, fetcher: fetcher)
        }
    }

    private func build(_ resolved: ResolvedBase, lock: LockBook, fetcher: Fetcher) async throws -> BuildResult {
        let base = try await BaseImageFetcher(registry: registry, platform: platform).fetch(resolved)
        progress.message("base \(base.name ?? "scratch")" + (base.manifest.map { " (\($0.digest))" } ?? ""))
        let filesystem = ImageFilesystem()
        let lastLayerStep = recipe.steps.lastIndex(where: \.writesLayer)
        if lastLayerStep != nil {
            try await loadFilesystem(of: base, resolved: resolved, into: filesystem)
        }
        let compression = BuildOptions.compression(recipe.compression)
        let runner = LayerStepRunner(
            store: store, filesystem: filesystem, compression: compression, mtime: options.sourceDateEpoch,
            useCache: options.useCache)
        var editor = try ImageConfigEditor(
            baseConfig: base.configBytes, platform: platform, created: ImageConfigEditor.timestamp(options.sourceDateEpoch))
        var parents = Self.diffIDs(inConfig: base.configBytes)
        var newLayers: [Descriptor] = []
        var reports: [StepReport] = []
        for (position, step) in recipe.steps.enumerated() {
            let started = ContinuousClock.now
            var report = StepReport(index: step.index, kind: step.step.kind.rawValue, title: step.title, writesLayer: step.writesLayer)
            let context = StepContext(
                recipe: recipe, store: store, filesystem: filesystem, fetcher: fetcher, lock: lock, options: options,
                progress: progress, dryRun: false)
            if step.writesLayer, let layerStep = try await LayerStep.prepare(step, context: context) {
                let box = HandOff(layerStep)
                let currentParents = parents
                let baseDigest = base.manifest?.digest
                let outcome = try await BlockingWork.run {
                    try runner.run(step, layer: box.value, parents: currentParents, baseDigest: baseDigest, dryRun: false)
                }
                guard let layer = outcome.layer else { throw BuildError.missingLayer(parents.last ?? step.definitionDigest) }
                editor.appendLayer(diffID: layer.diffID)
                parents.append(layer.diffID)
                newLayers.append(layer.descriptor)
                if let lastLayerStep, position < lastLayerStep {
                    let applied = ImageFilesystem.Layer(descriptor: layer.descriptor, path: store.blobPath(layer.descriptor.digest))
                    try await BlockingWork.run { try filesystem.apply(applied) }
                }
                report.cache = outcome.cacheHit ? .hit : (options.useCache ? .miss : .disabled)
                report.layer = layer.descriptor.digest.description
                report.diffID = layer.diffID.description
                report.size = layer.descriptor.size
            } else {
                editor.apply(step.step)
            }
            editor.appendHistory(createdBy: step.step.summary, comment: step.name, emptyLayer: !step.writesLayer)
            let elapsed = ContinuousClock.now - started
            report.seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            progress.stepFinished(report, of: recipe.steps.count)
            reports.append(report)
        }
        if let name = base.name, let manifest = base.manifest {
            editor.setLabel(Self.baseNameLabel, name)
            editor.setLabel(Self.baseDigestLabel, manifest.digest.description)
        }
        editor.setLabel(Self.recipeDigestLabel, recipe.digest.description)
        let image = try assemble(base: base, configBytes: try editor.encoded(), newLayers: newLayers, compression: compression)
        let lockWritten = try lock.writeIfChanged(stepCount: recipe.steps.count)
        return BuildResult(
            image: image, steps: reports, base: base.name, baseDigest: base.manifest?.digest, recipeDigest: recipe.digest,
            platform: platform, lockFile: lockWritten ? lockPath : nil)
    }

    /// The manifest: Docker schema 2 types on a Docker base (with gzip layers), OCI otherwise.
    private func assemble(base: FetchedBase, configBytes: [UInt8], newLayers: [Descriptor], compression: Compression) throws -> BuiltImageSource {
        var docker = base.isDocker
        if case .zstd = compression { docker = false }
        let config = Descriptor(
            mediaType: docker ? MediaType.dockerConfig : MediaType.ociConfig,
            digest: DigestHasher.digest(of: configBytes), size: Int64(configBytes.count))
        let layers = base.layers + newLayers.map { layer in
            var layer = layer
            if docker { layer.mediaType = MediaType.dockerLayerGzip }
            return layer
        }
        let manifest = try Manifest(encoding: ImageManifest(
            mediaType: docker ? MediaType.dockerManifest : MediaType.ociManifest, config: config, layers: layers))
        return BuiltImageSource(
            manifest: manifest, config: config, configBytes: configBytes, store: store, base: base.source,
            baseRepository: base.reference, recipeFile: recipe.file)
    }

    /// Streams each base layer once (downloaded into the content store unless the base is a
    /// layout, whose blobs are read in place) and applies it to the filesystem view.
    private func loadFilesystem(of base: FetchedBase, resolved: ResolvedBase, into filesystem: ImageFilesystem, dryRun: Bool = false) async throws {
        guard let source = base.source else { return }
        var paths: [Digest: String] = [:]
        if case .ociLayout(let layout) = resolved {
            let directory = OCILayout(path: layout.directory.absolute)
            for layer in base.layers { paths[layer.digest] = directory.blobPath(layer.digest) }
        } else {
            let store = self.store
            let missing = base.layers.filter { !store.hasBlob($0) }
            if !missing.isEmpty {
                let total = missing.reduce(Int64(0)) { $0 + $1.size }
                progress.message("fetching \(missing.count) base layer(s), \(total) bytes, into \(store.root)")
            }
            try await withThrowingTaskGroup(of: Void.self) { group in
                var pending = missing.makeIterator()
                for _ in 0..<max(1, options.jobs) {
                    guard let layer = pending.next() else { break }
                    group.addTask { try await store.fetch(layer, from: source) }
                }
                while try await group.next() != nil {
                    if let layer = pending.next() { group.addTask { try await store.fetch(layer, from: source) } }
                }
            }
            for layer in base.layers { paths[layer.digest] = store.blobPath(layer.digest) }
        }
        let layers = base.layers.map { ImageFilesystem.Layer(descriptor: $0, path: paths[$0.digest] ?? store.blobPath($0.digest)) }
        let snapshots = FilesystemSnapshot(store: store)
        if let digest = base.manifest?.digest, snapshots.exists(base: digest),
           layers.allSatisfy({ FileManager.default.fileExists(atPath: $0.path) }) {
            let restored = try await BlockingWork.run {
                var complete = false
                filesystem.restore(layers: layers) { add in complete = snapshots.load(base: digest, into: add) }
                return complete
            }
            if restored { return }
            filesystem.restore(layers: []) { _ in }
        }
        for layer in layers {
            try await BlockingWork.run { try filesystem.apply(layer) }
        }
        if let digest = base.manifest?.digest, !dryRun {
            try await BlockingWork.run { try snapshots.save(filesystem, base: digest) }
        }
    }

    static func diffIDs(inConfig bytes: [UInt8]?) -> [Digest] {
        guard let bytes, let object = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any],
              let rootfs = object["rootfs"] as? [String: Any], let ids = rootfs["diff_ids"] as? [String]
        else { return [] }
        return ids.compactMap { try? Digest(parsing: $0) }
    }

    // MARK: plan

    /// What `build()` would do, without the network and without writing: the resolved base,
    /// and for each step whether its layer is cached (known for `scratch` and `oci:` bases; a
    /// registry base is not fetched, so its layer steps are `unknown`).
    public func plan() async throws -> BuildPlan {
        let lock = try LockBook(path: lockPath, locked: options.locked)
        return try await Fetcher.with(settings: options.fetch) { fetcher in
            try await plan(lock: lock, fetcher: fetcher)
        }
    }

    private func plan(lock: LockBook, fetcher: Fetcher) async throws -> BuildPlan {
        let resolved = try resolvedBase()
        var base: FetchedBase?
        switch resolved {
        case .scratch, .ociLayout:
            base = try await BaseImageFetcher(registry: nil, platform: platform).fetch(resolved)
        case .registry:
            base = nil
        }
        let filesystem = ImageFilesystem()
        let lastLayerStep = recipe.steps.lastIndex(where: \.writesLayer)
        if let base, lastLayerStep != nil {
            try await loadFilesystem(of: base, resolved: resolved, into: filesystem, dryRun: true)
        }
        let runner = LayerStepRunner(
            store: store, filesystem: filesystem, compression: BuildOptions.compression(recipe.compression),
            mtime: options.sourceDateEpoch, useCache: options.useCache)
        var parents: [Digest]? = base.map { Self.diffIDs(inConfig: $0.configBytes) }
        var reports: [StepReport] = []
        for (position, step) in recipe.steps.enumerated() {
            var report = StepReport(index: step.index, kind: step.step.kind.rawValue, title: step.title, writesLayer: step.writesLayer)
            switch step.step {
            case .pip: report.note = "wheels are resolved and installed when building"
            case .conda: report.note = "conda packages are resolved and linked when building"
            default: break
            }
            if step.writesLayer {
                report.cache = options.useCache ? .unknown : .disabled
                let context = StepContext(
                    recipe: recipe, store: store, filesystem: filesystem, fetcher: fetcher, lock: lock, options: options,
                    progress: progress, dryRun: true)
                if options.useCache, let known = parents, let layerStep = try await LayerStep.prepare(step, context: context) {
                    let box = HandOff(layerStep)
                    let baseDigest = base?.manifest?.digest
                    let outcome = try await BlockingWork.run {
                        try runner.run(step, layer: box.value, parents: known, baseDigest: baseDigest, dryRun: true)
                    }
                    if let layer = outcome.layer {
                        report.cache = .hit
                        report.layer = layer.descriptor.digest.description
                        report.diffID = layer.diffID.description
                        report.size = layer.descriptor.size
                        parents = known + [layer.diffID]
                        if let lastLayerStep, position < lastLayerStep {
                            let applied = ImageFilesystem.Layer(descriptor: layer.descriptor, path: store.blobPath(layer.descriptor.digest))
                            try await BlockingWork.run { try filesystem.apply(applied) }
                        }
                    } else {
                        report.cache = .miss
                        parents = nil
                    }
                } else {
                    parents = nil
                }
            }
            reports.append(report)
        }
        return BuildPlan(
            recipe: recipe.file, images: recipe.images.map(\.description), platform: platform.description,
            base: resolved.description, baseDigest: base?.manifest?.digest.description,
            recipeDigest: recipe.digest.description, steps: reports)
    }
}
