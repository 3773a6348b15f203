import Archive
import Conda
import Fetch
import Foundation
import OCI
import Recipe

/// The layer a `conda:` step writes, as conda's link and unlink steps would change the prefix:
/// removed packages' files whited out with their `conda-meta` records, new packages linked
/// (`CondaLinker`), an installed package of another build replaced in the same layer, and a
/// `conda-meta/history` entry. Nothing runs in the image.
///
/// Preparing it does the network work: the channels' repodata (only when specs need solving
/// and `recipe.lock` has no entry for the step), the packages into the content store (by hash,
/// so a rebuild downloads nothing).
struct CondaLayer {
    /// A package to link: what the solver or the list chose, and its file in the store.
    struct Package: Sendable {
        var record: CondaPackageRecord
        var artifact: StoredArtifact
        var requestedSpec: String?
    }

    let prefix: String
    let pythonVersion: String?
    let install: [Package]
    let remove: [CondaPrefix.InstalledPackage]
    let history: CondaHistoryEntry
    let filesystem: ImageFilesystem
    /// Where large package files are spilled while the layer is written; removed afterwards.
    let spillDirectory: String

    /// Digest of everything the layer depends on beyond the step's definition and the layers
    /// below: the packages' hashes, what is removed, the prefix and Python.
    func inputDigest() -> Digest {
        var lines = ["prefix=\(prefix)", "python=\(pythonVersion ?? "")"]
        lines += install.map { "install=\($0.record.distName) \($0.artifact.sha256) \($0.requestedSpec ?? "")" }
        lines += remove.map { "remove=\($0.record.distName)" }
        lines.append("history=\(history.text)")
        return DigestHasher.digest(of: Array(lines.joined(separator: "\n").utf8))
    }

    /// Links every package, then whites out what the removed packages had that no new package
    /// replaces, then appends the history entry. Blocking.
    func contents() throws -> LayerContents {
        var contents = LayerContents()
        let linker = CondaLinker(prefix: prefix, pythonVersion: pythonVersion)
        for (index, package) in install.enumerated() {
            let archive = try CondaPackageArchive(path: package.artifact.path, fileName: package.record.fn)
            _ = try linker.link(
                archive, record: package.record, requestedSpec: package.requestedSpec, into: &contents,
                spillDirectory: "\(spillDirectory)/\(index)")
        }
        var removed: [String] = []
        for package in remove {
            removed += package.files.map { prefix + "/" + $0 }
            removed.append(package.metadataPath)
        }
        for path in WhiteoutSet.minimal(removing: removed, from: filesystem, keeping: contents, protected: [prefix, prefix + "/conda-meta"]) {
            try contents.addWhiteout(removing: String(path.dropFirst()))
        }
        let historyPath = prefix + "/conda-meta/history"
        var text: [UInt8] = []
        var mode: UInt32 = 0o644
        if let existing = filesystem.entry(historyPath), existing.kind == .regular {
            text = try filesystem.readFile(historyPath)
            mode = existing.mode
        }
        text += Array(history.text.utf8)
        try contents.addFile(String(historyPath.dropFirst()), contents: text, mode: mode)
        return contents
    }

    func cleanup() {
        try? FileManager.default.removeItem(atPath: spillDirectory)
    }
}

// MARK: Preparation

extension CondaLayer {
    static func prepare(_ step: CondaStep, recipeStep: RecipeStep, context: StepContext) async throws -> CondaLayer? {
        // What the step installs is only known after resolving (the network) and reading the base.
        if context.dryRun { return nil }
        let location = recipeStep.location.naming(recipeStep.location.field.isEmpty ? "conda" : recipeStep.location.field + ".conda")
        let filesystem = context.filesystem
        guard let prefixPath = CondaPrefix.locate(in: filesystem, explicit: step.prefix) else {
            throw RecipeError(
                at: location, "the base image has no conda prefix (no /opt/conda/conda-meta, nor another directory with conda-meta/)",
                suggestion: "set prefix: to the conda installation in the image, or build on a base that has conda")
        }
        guard filesystem.entry(prefixPath + "/conda-meta")?.isDirectory == true else {
            throw RecipeError(
                at: location.naming(location.field + ".prefix"), "\(prefixPath) is not a conda prefix: it has no conda-meta/ directory",
                suggestion: "point prefix: at the directory holding conda-meta/ (usually /opt/conda)")
        }
        let prefix = try CondaPrefix.read(prefixPath, from: filesystem)
        let platform = context.options.platform ?? context.recipe.platform
        guard let subdir = CondaSubdir.name(for: platform) else {
            throw RecipeError(at: location, "conda has no package subdir for the platform \(platform)", suggestion: "build for linux/amd64 or linux/arm64")
        }

        // What `remove:` takes away, with the installed packages that depend on it.
        var removals: [CondaPrefix.InstalledPackage] = []
        for name in step.remove {
            guard let package = prefix.package(named: name.name) else {
                let installed = prefix.installed.map(\.record.name)
                throw RecipeError(
                    at: location.naming(location.field + ".remove"), "\(name.name) is not installed in \(prefixPath)",
                    suggestion: installed.isEmpty ? "the prefix has no packages" : "installed: " + installed.prefix(30).joined(separator: ", "))
            }
            removals.append(package)
        }
        let dependents = prefix.dependents(of: Set(step.remove.map(\.name)))
        if !dependents.isEmpty {
            context.progress.message("conda: also removing \(dependents.map(\.record.name).joined(separator: ", ")), which depend on \(step.remove.map(\.name).joined(separator: ", "))")
        }
        removals += dependents
        let removedNames = Set(removals.map { $0.record.name.lowercased() })
        let remaining = prefix.installed.filter { !removedNames.contains($0.record.name.lowercased()) }

        let requestedSpecs = Dictionary(
            step.install.compactMap { item -> (String, String)? in
                guard case .spec(let spec) = item.source, let parsed = try? MatchSpec(spec.text) else { return nil }
                return (parsed.name, spec.text)
            }, uniquingKeysWith: { first, _ in first })
        let resolver = CondaStepResolver(
            step: step, recipeStep: recipeStep, location: location, context: context, subdir: subdir, prefix: prefixPath,
            installed: remaining.map(\.record), requestedSpecs: requestedSpecs)
        guard var packages = try await resolver.packages() else { return nil }

        // An installed package of another build is replaced; the same build is kept as it is.
        packages.removeAll { package in remaining.contains { $0.record.distName == package.record.distName } }
        let installNames = Set(packages.map { $0.record.name.lowercased() })
        let replaced = remaining.filter { installNames.contains($0.record.name.lowercased()) }
        removals += replaced

        let pythonVersion = packages.first { $0.record.name == "python" }.map { CondaPrefix.majorMinor($0.record.version) }
            ?? prefix.pythonVersion(in: filesystem)
        let history = CondaHistoryEntry(
            time: context.options.sourceDateEpoch, command: "smimg build \((context.recipe.file as NSString).lastPathComponent)",
            removed: removals.map(\.record), added: packages.map(\.record),
            updateSpecs: step.install.map(\.description) + (step.explicit.map { ["--file " + $0.written] } ?? []),
            removeSpecs: step.remove.map(\.name))
        let spill = context.store.root + "/tmp/conda-" + UUID().uuidString
        return CondaLayer(
            prefix: prefixPath, pythonVersion: pythonVersion, install: packages, remove: removals, history: history,
            filesystem: filesystem, spillDirectory: spill)
    }
}

extension CondaPrefix {
    /// `3.11.4` → `3.11`.
    static func majorMinor(_ version: String) -> String {
        version.split(separator: ".").prefix(2).joined(separator: ".")
    }
}

/// conda's platform subdirectory for an image platform.
enum CondaSubdir {
    static func name(for platform: Platform) -> String? {
        guard platform.os == "linux" else { return nil }
        switch platform.architecture {
        case "amd64": return "linux-64"
        case "arm64": return "linux-aarch64"
        case "ppc64le": return "linux-ppc64le"
        case "s390x": return "linux-s390x"
        case "386": return "linux-32"
        default: return nil
        }
    }
}
