import Archive
import Foundation
import OCI
import Recipe

/// A step that writes a layer, with what the build cache needs to know about it.
enum LayerStep {
    case copy(CopyLayer)
    case remove(RemoveLayer)
    case conda(CondaLayer)
    case pip(PipLayer)

    /// The layer step for a recipe step, after the step's network work (resolving, downloading
    /// into the store). Nil for steps that write no layer, and in a dry run for steps whose
    /// layer cannot be known offline.
    static func prepare(_ step: RecipeStep, context: StepContext) async throws -> LayerStep? {
        switch step.step {
        case .copy(let copy): return .copy(CopyLayer(step: copy, filesystem: context.filesystem))
        case .remove(let remove): return .remove(RemoveLayer(step: remove, location: step.location, filesystem: context.filesystem))
        case .conda(let conda): return try await CondaLayer.prepare(conda, recipeStep: step, context: context).map(LayerStep.conda)
        case .pip(let pip): return try await PipLayer.prepare(pip, recipeStep: step, context: context).map(LayerStep.pip)
        default: return nil
        }
    }

    /// Digest of the step's inputs beyond its definition: copied files' contents and modes, the
    /// resolved paths a `remove` whites out (checking that they exist).
    func inputDigest() throws -> Digest {
        switch self {
        case .copy(let layer): return try layer.inputDigest()
        case .remove(let layer): return DigestHasher.digest(of: Array(try layer.targets().joined(separator: "\n").utf8))
        case .conda(let layer): return layer.inputDigest()
        case .pip(let layer): return layer.inputDigest()
        }
    }

    func contents() throws -> LayerContents {
        switch self {
        case .copy(let layer): return try layer.contents()
        case .remove(let layer): return try layer.contents()
        case .conda(let layer): return try layer.contents()
        case .pip(let layer): return try layer.contents()
        }
    }

    /// Removes what writing the layer left behind (spilled package files).
    func cleanup() {
        if case .conda(let layer) = self { layer.cleanup() }
    }
}

/// Finds a step's layer in the build cache or writes it. Blocking: runs on its own thread.
struct LayerStepRunner {
    struct Outcome: Sendable {
        /// Nil in a dry run when the layer is not cached.
        var layer: CachedLayer?
        var cacheHit: Bool
    }

    let store: ContentStore
    let filesystem: ImageFilesystem
    let compression: Compression
    let mtime: Int64
    let useCache: Bool

    func run(_ step: RecipeStep, layer: LayerStep, parents: [Digest], baseDigest: Digest?, dryRun: Bool) throws -> Outcome {
        let key = CacheKey(
            base: baseDigest, parents: parents, step: step.definitionDigest, inputs: try layer.inputDigest(),
            compression: compression.description, mtime: mtime
        ).digest
        if useCache, let cached = store.cachedLayer(for: key) {
            return Outcome(layer: cached, cacheHit: true)
        }
        if dryRun { return Outcome(layer: nil, cacheHit: false) }
        defer { layer.cleanup() }
        let contents = try layer.contents()
        let writer = try LayerWriter(store: store.blobs, options: LayerWriter.Options(compression: compression, mtime: mtime))
        let blob: LayerBlob
        do {
            let filesystem = self.filesystem
            try contents.write(to: writer) { parent in
                if let existing = filesystem.entry("/" + parent), existing.isDirectory {
                    return TarEntry.directory(parent, mode: existing.mode, uid: Int(existing.uid), gid: Int(existing.gid))
                }
                return TarEntry.directory(parent)
            }
            blob = try writer.finish()
        } catch {
            writer.discard()
            throw error
        }
        let cached = CachedLayer(descriptor: blob.descriptor, diffID: blob.diffID, uncompressedSize: blob.uncompressedSize)
        try store.recordLayer(cached, for: key)
        return Outcome(layer: cached, cacheHit: false)
    }
}

/// The build-cache key of a layer step: the base manifest, the diffIDs of every layer below,
/// the step's definition, its inputs, the compression and the file time.
struct CacheKey {
    var base: Digest?
    var parents: [Digest]
    var step: Digest
    var inputs: Digest
    var compression: String
    var mtime: Int64

    var digest: Digest {
        let text = [
            "smimg.layer-cache/1",
            "base=\(base?.description ?? "scratch")",
            "parents=\(parents.map(\.description).joined(separator: ","))",
            "step=\(step)",
            "inputs=\(inputs)",
            "compression=\(compression)",
            "mtime=\(mtime)",
        ].joined(separator: "\n")
        return DigestHasher.digest(of: Array(text.utf8))
    }
}
