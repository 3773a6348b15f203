import Archive
import Fetch
import Foundation
import OCI
import Pip
import Python
import Recipe

/// The layer a `pip:` step writes, as `pip uninstall` and `pip install` would change the
/// image: the removed distributions' files whited out (a conda-installed one loses its
/// `conda-meta` record too), each wheel installed by `WheelInstaller`, an installed version of
/// a project being installed replaced in the same layer. Nothing runs in the image.
struct PipLayer {
    struct Wheel: Sendable {
        var resolved: ResolvedWheel
        var artifact: StoredArtifact
    }

    let environment: PythonEnvironment
    let scheme: InstallScheme
    let install: [Wheel]
    /// Image paths to remove (uninstalled and replaced distributions).
    let removed: [String]
    let filesystem: ImageFilesystem

    func inputDigest() -> Digest {
        var lines = ["target=\(environment.lockTarget)", "interpreter=\(scheme.interpreter)"]
        lines += install.map { "install=\($0.resolved.filename) \($0.artifact.sha256) requested=\($0.resolved.requested) direct=\($0.resolved.direct) \($0.resolved.url)" }
        lines += removed.sorted().map { "remove=\($0)" }
        return DigestHasher.digest(of: Array(lines.joined(separator: "\n").utf8))
    }

    /// Blocking.
    func contents() throws -> LayerContents {
        var contents = LayerContents()
        let installer = WheelInstaller(scheme: scheme)
        for wheel in install {
            let archive = try WheelArchive(path: wheel.artifact.path, filename: wheel.resolved.filename)
            _ = try installer.install(archive, as: wheel.resolved, into: &contents)
        }
        let protected = Set(environment.sitePackages + [environment.scripts, environment.data, environment.purelib, environment.platlib])
        for path in WhiteoutSet.minimal(removing: removed, from: filesystem, keeping: contents, protected: protected) {
            try contents.addWhiteout(removing: String(path.dropFirst()))
        }
        return contents
    }
}

// MARK: Preparation

extension PipLayer {
    static let lockKind = "pip"
    static let defaultIndex = "https://pypi.org/simple"

    static func prepare(_ step: PipStep, recipeStep: RecipeStep, context: StepContext) async throws -> PipLayer? {
        // What the step installs is only known after resolving (the network) and reading the base.
        if context.dryRun { return nil }
        let location = recipeStep.location.naming(recipeStep.location.field.isEmpty ? "pip" : recipeStep.location.field + ".pip")
        let filesystem = context.filesystem
        let platform = context.options.platform ?? context.recipe.platform
        let environment: PythonEnvironment
        do {
            environment = try PythonEnvironment.detect(in: filesystem, platform: platform, interpreter: step.python)
        } catch {
            throw RecipeError(at: step.python == nil ? location : location.naming(location.field + ".python"), "\(error)")
        }
        let scheme = InstallScheme(
            purelib: environment.purelib, platlib: environment.platlib, scripts: environment.scripts, data: environment.data,
            headers: environment.headers, interpreter: shebangInterpreter(environment, filesystem: filesystem))
        var installed = InstalledPythonDistribution.all(in: environment, filesystem: filesystem)

        // Uninstalls.
        var removedDistributions: [InstalledPythonDistribution] = []
        for name in step.uninstall {
            let normalized = ProjectName.normalize(name.name)
            guard let distribution = installed[normalized] else {
                if step.missingOK { continue }
                throw RecipeError(
                    at: location.naming(location.field + ".uninstall"),
                    "\(name.name) is not installed for \(environment.interpreter) (looked in \(environment.sitePackages.joined(separator: ", ")))",
                    suggestion: "check the name, or add missing_ok: true")
            }
            removedDistributions.append(distribution)
            installed[normalized] = nil
        }

        // What to install.
        guard let wheels = try await resolve(step, recipeStep: recipeStep, location: location, context: context, environment: environment, installed: installed) else {
            return nil
        }
        // Installing a project the base has replaces it (pip uninstalls the old version first).
        for wheel in wheels {
            if let old = installed[ProjectName.normalize(wheel.resolved.name)] { removedDistributions.append(old) }
        }
        var removed: [String] = []
        // Read once for all removed distributions: a DLC prefix has hundreds of records.
        let conda = removedDistributions.isEmpty ? nil : condaPrefix(of: environment, filesystem: filesystem)
        for distribution in removedDistributions {
            do {
                removed += try distribution.uninstallPaths(in: filesystem, scripts: environment.scripts)
            } catch {
                throw BuildError.stepFailed(location, reason: "\(error)")
            }
            if let conda { removed += condaRecords(owning: distribution, in: conda) }
        }
        return PipLayer(environment: environment, scheme: scheme, install: wheels, removed: removed, filesystem: filesystem)
    }

    /// The interpreter new scripts name: the one an existing pip script in the image uses, as
    /// pip would write it from that interpreter; else the detected interpreter.
    static func shebangInterpreter(_ environment: PythonEnvironment, filesystem: ImageFilesystem) -> String {
        for script in ["pip3", "pip"] {
            let path = environment.scripts + "/" + script
            guard filesystem.entry(filesystem.resolve(path) ?? path)?.kind == .regular,
                  let bytes = try? filesystem.readFile(path, limit: 1 << 16), bytes.starts(with: Array("#!/".utf8))
            else { continue }
            let line = String(decoding: bytes.prefix { $0 != 0x0A }, as: UTF8.self)
            let interpreter = String(line.dropFirst(2)).trimmingCharacters(in: .whitespaces)
            if !interpreter.contains(" "), interpreter.contains("python") { return interpreter }
        }
        return environment.interpreter
    }

    /// The conda prefix the interpreter lives in, if it is one.
    static func condaPrefix(of environment: PythonEnvironment, filesystem: ImageFilesystem) -> CondaPrefix? {
        guard filesystem.entry(environment.data + "/conda-meta")?.isDirectory == true else { return nil }
        return try? CondaPrefix.read(environment.data, from: filesystem)
    }

    /// The `conda-meta` record of a conda-installed distribution, which pip's uninstall leaves
    /// stale: it goes in the same layer.
    static func condaRecords(owning distribution: InstalledPythonDistribution, in conda: CondaPrefix) -> [String] {
        guard distribution.metadataDirectory.hasPrefix(conda.path + "/") else { return [] }
        let relative = String(distribution.metadataDirectory.dropFirst(conda.path.count + 1))
        return conda.installed.filter { package in package.files.contains { $0.hasPrefix(relative + "/") } }.map(\.metadataPath)
    }

    static func resolve(
        _ step: PipStep, recipeStep: RecipeStep, location: SourceLocation, context: StepContext, environment: PythonEnvironment,
        installed: [String: InstalledPythonDistribution]
    ) async throws -> [Wheel]? {
        if context.dryRun { return nil }
        let store = ArtifactWheelStore(store: context.store, fetcher: context.fetcher)
        var direct: [PipResolver.DirectWheel] = []
        var requirements: [Requirement] = []
        for item in step.install {
            switch item.source {
            case .requirement(let requirement):
                do {
                    requirements.append(try Requirement(requirement.text))
                } catch {
                    throw RecipeError(at: item.location, "\(error)")
                }
            case .wheelURL(let url):
                direct.append(try await directWheel(url: url, sha256: item.sha256, item: item, store: store))
            case .wheelFile(let path):
                direct.append(try await directWheel(url: URL(fileURLWithPath: path.absolute).absoluteString, sha256: item.sha256, item: item, store: store))
            }
        }
        // Wheels given by path or URL that need nothing else install as they are, without an index.
        let environmentMarkers = MarkerEnvironment(target: environment.target)
        let needsResolution = !requirements.isEmpty || direct.contains { !$0.metadata.dependencies(in: environmentMarkers).isEmpty }
        var resolved: [ResolvedWheel]
        if !needsResolution {
            resolved = direct.map(\.resolved)
        } else if let locked = try context.lock.usableEntry(for: recipeStep, kind: lockKind, target: environment.lockTarget, location: location)?.wheels {
            resolved = locked
        } else {
            var pages: [String] = []
            var directories: [String] = []
            for source in step.findLinks {
                switch source {
                case .url(let url): pages.append(url)
                case .path(let path):
                    var isDirectory: ObjCBool = false
                    if FileManager.default.fileExists(atPath: path.absolute, isDirectory: &isDirectory), isDirectory.boolValue {
                        directories.append(path.absolute)
                    } else {
                        pages.append(URL(fileURLWithPath: path.absolute).absoluteString)
                    }
                }
            }
            let finder = PackageFinder(
                indexURLs: [step.indexURL ?? defaultIndex] + step.extraIndexURLs, findLinks: pages, localDirectories: directories,
                fetcher: context.fetcher)
            var versions: [String: PythonVersion] = [:]
            for (name, distribution) in installed {
                if let version = try? PythonVersion(distribution.version) { versions[name] = version }
            }
            let resolver = PipResolver(target: environment.target, finder: finder, store: store, installed: versions, upgrade: step.upgrade)
            let resolution: PipResolver.Resolution
            do {
                resolution = try await resolver.resolve(requirements, direct: direct)
            } catch let error as PipError {
                throw BuildError.stepFailed(location, reason: "\(error) (for \(environment.interpreter), Python \(environment.target.fullVersion))")
            }
            if !resolution.satisfiedByBase.isEmpty {
                context.progress.message("pip: already in the base: \(resolution.satisfiedByBase.joined(separator: ", "))")
            }
            resolved = resolution.wheels
        }
        // Every wheel in the store, checked against its hash.
        var wheels: [Wheel] = []
        for wheel in resolved {
            let artifact = try await context.store.fetchArtifact(
                url: wheel.url, sha256: wheel.sha256.isEmpty ? nil : wheel.sha256, md5: nil, using: context.fetcher)
            var complete = wheel
            complete.sha256 = artifact.sha256
            wheels.append(Wheel(resolved: complete, artifact: artifact))
        }
        if needsResolution {
            context.lock.record(RecipeLockEntry(
                index: recipeStep.index, kind: lockKind, definition: recipeStep.definitionDigest.description,
                target: environment.lockTarget, wheels: wheels.map(\.resolved)))
        }
        return wheels
    }

    static func directWheel(url: String, sha256: String?, item: PipInstallItem, store: ArtifactWheelStore) async throws -> PipResolver.DirectWheel {
        let local = try await store.wheel(url: url, sha256: sha256)
        let filename = ((url.split(separator: "#").first.map(String.init) ?? url) as NSString).lastPathComponent.removingPercentEncoding
            ?? (url as NSString).lastPathComponent
        let archive: WheelArchive
        do {
            archive = try WheelArchive(path: local.path, filename: filename)
        } catch {
            throw RecipeError(at: item.location, "\(error)")
        }
        let resolved = ResolvedWheel(
            name: ProjectName.normalize(archive.metadata.name), version: archive.metadata.version.description, filename: filename,
            url: url, sha256: local.sha256, requested: true, direct: true)
        return PipResolver.DirectWheel(resolved: resolved, metadata: archive.metadata)
    }
}

/// The content store as the resolver's wheel source.
struct ArtifactWheelStore: WheelStore {
    let store: ContentStore
    let fetcher: Fetcher

    func wheel(url: String, sha256: String?) async throws -> (path: String, sha256: String) {
        let artifact = try await store.fetchArtifact(url: url, sha256: sha256, md5: nil, using: fetcher)
        return (artifact.path, artifact.sha256)
    }
}
