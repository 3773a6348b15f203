import Conda
import Fetch
import Foundation
import Recipe

/// Turns a `conda:` step into the packages to link, each in the content store: an explicit list
/// exactly as written; package files and URLs as given; specs solved against the channels'
/// repodata (or taken from `recipe.lock` when it has this step), with the prefix's installed
/// packages kept where they satisfy the specs.
struct CondaStepResolver {
    let step: CondaStep
    let recipeStep: RecipeStep
    let location: SourceLocation
    let context: StepContext
    let subdir: String
    let prefix: String
    /// The prefix's packages after the step's removals.
    let installed: [CondaPackageRecord]
    /// Package name → the spec the recipe wrote for it (conda-meta's `requested_spec`).
    let requestedSpecs: [String: String]

    static let lockKind = "conda"

    /// Nil in a dry run: the packages are not known without the network.
    func packages() async throws -> [CondaLayer.Package]? {
        if context.dryRun { return nil }
        if let explicit = step.explicit { return try await explicitPackages(explicit) }
        var given: [CondaLayer.Package] = []
        var specs: [MatchSpec] = []
        for item in step.install {
            switch item.source {
            case .spec(let spec):
                do {
                    specs.append(try MatchSpec(spec.text))
                } catch {
                    throw RecipeError(at: item.location, "\(error)")
                }
            case .packageFile(let path):
                given.append(try await package(url: URL(fileURLWithPath: path.absolute).absoluteString, item: item))
            case .packageURL(let url):
                given.append(try await package(url: url, item: item))
            }
        }
        guard !specs.isEmpty else { return given }
        let target = "\(subdir) \(prefix)"
        let records: [CondaPackageRecord]
        if let locked = try context.lock.usableEntry(for: recipeStep, kind: Self.lockKind, target: target, location: location)?.packages {
            records = locked
        } else {
            records = try await solve(specs, given: given.map(\.record))
            context.lock.record(RecipeLockEntry(
                index: recipeStep.index, kind: Self.lockKind, definition: recipeStep.definitionDigest.description, target: target,
                packages: records, explicit: ExplicitSpecFile.render(records, platform: subdir).split(separator: "\n").map(String.init)))
        }
        return given + (try await fetch(records))
    }

    // MARK: Sources

    private func explicitPackages(_ file: HostPath) async throws -> [CondaLayer.Package] {
        let field = location.naming(location.field + ".explicit")
        guard let data = FileManager.default.contents(atPath: file.absolute), let text = String(data: data, encoding: .utf8) else {
            throw RecipeError(at: field, "cannot read \(file.written)")
        }
        let list: ExplicitSpecFile
        do {
            list = try ExplicitSpecFile(parsing: text)
        } catch {
            throw RecipeError(at: field, "\(file.written): \(error)")
        }
        if let platform = list.platform, platform != subdir {
            throw RecipeError(
                at: field, "\(file.written) lists packages for \(platform), the image is \(subdir)",
                suggestion: "export the list on a \(subdir) machine, or build for the list's platform")
        }
        return try await fetch(list.entries.map(ExplicitSpecFile.record(for:)))
    }

    /// A package file or URL from `install:`, with its record read from the package itself.
    private func package(url: String, item: CondaInstallItem) async throws -> CondaLayer.Package {
        let artifact = try await context.store.fetchArtifact(url: url, sha256: item.sha256, md5: item.md5, using: context.fetcher)
        let fileName = ((url.split(separator: "?").first.map(String.init) ?? url) as NSString).lastPathComponent
        let info: CondaPackageArchive.Info
        do {
            info = try CondaPackageArchive(path: artifact.path, fileName: fileName).info()
        } catch {
            throw RecipeError(at: item.location, "\(item.description) is not a usable conda package: \(error)")
        }
        var record = info.index
        record.fn = fileName
        record.url = url
        record.channel = (url as NSString).deletingLastPathComponent
        record.md5 = artifact.md5
        record.sha256 = artifact.sha256
        record.size = artifact.size
        return CondaLayer.Package(record: record, artifact: artifact, requestedSpec: item.description)
    }

    // MARK: Solving

    private func solve(_ specs: [MatchSpec], given: [CondaPackageRecord]) async throws -> [CondaPackageRecord] {
        let channels = try channelURLs()
        context.progress.message("conda: reading \(subdir) and noarch repodata of \(channels.joined(separator: ", "))")
        var pools: [[CondaPackageRecord]] = []
        for channel in channels {
            var records = try await repodata(channel: channel, subdir: subdir, required: true)
            records += try await repodata(channel: channel, subdir: "noarch", required: false)
            pools.append(records)
        }
        if !given.isEmpty { pools.insert(given, at: 0) }
        let exact = try given.map { record in
            MatchSpec(name: record.name, version: try VersionSpec("==" + record.version), build: record.build)
        }
        let solver = CondaSolver(
            channels: pools, installed: installed,
            virtualPackages: CondaVirtualPackages.detect(in: context.filesystem, platform: subdir))
        let solution: CondaSolution
        do {
            solution = try solver.solve(specs + exact)
        } catch {
            throw BuildError.stepFailed(
                location, reason: "cannot resolve \(specs.map(\.written).joined(separator: ", ")) from \(channels.joined(separator: ", ")): \(error)")
        }
        let givenNames = Set(given.map(\.distName))
        return solution.toInstall.filter { !givenNames.contains($0.distName) }
    }

    /// The step's channels as URLs; without any, those of the prefix's `.condarc`.
    func channelURLs() throws -> [String] {
        var channels = step.channels.map(\.description)
        if channels.isEmpty {
            channels = CondaChannelNames.fromCondarc(in: context.filesystem, prefix: prefix)
        }
        guard !channels.isEmpty else {
            throw RecipeError(
                at: location.naming(location.field + ".channels"), "no channel to resolve the specs from",
                suggestion: "add channels: [conda-forge] (the prefix has no .condarc listing channels)")
        }
        return channels.flatMap(CondaChannelNames.urls(for:))
    }

    private func repodata(channel: String, subdir: String, required: Bool) async throws -> [CondaPackageRecord] {
        let url = "\(channel)/\(subdir)/repodata.json"
        let document: FetchedDocument
        do {
            document = try await context.fetcher.get(url, accept: "application/json", limit: 2 << 30)
        } catch FetchError.status(_, 404) where !required {
            return []
        }
        do {
            return try Repodata(decoding: Data(document.body), channel: channel, subdir: subdir).records
        } catch {
            throw BuildError.stepFailed(location, reason: "\(url): \(error)")
        }
    }

    // MARK: Downloads

    /// Every record's package in the store, downloaded (in parallel) when missing, each checked
    /// against the record's SHA-256 and MD5.
    private func fetch(_ records: [CondaPackageRecord]) async throws -> [CondaLayer.Package] {
        let store = context.store
        let fetcher = context.fetcher
        let requested = requestedSpecs
        var results = [CondaLayer.Package?](repeating: nil, count: records.count)
        try await withThrowingTaskGroup(of: (Int, CondaLayer.Package).self) { group in
            var next = 0
            func start() {
                guard next < records.count else { return }
                let index = next
                let record = records[index]
                next += 1
                group.addTask {
                    let artifact = try await store.fetchArtifact(url: record.url, sha256: record.sha256, md5: record.md5, using: fetcher)
                    var complete = record
                    if complete.sha256 == nil { complete.sha256 = artifact.sha256 }
                    if complete.md5 == nil, !artifact.md5.isEmpty { complete.md5 = artifact.md5 }
                    return (index, CondaLayer.Package(record: complete, artifact: artifact, requestedSpec: requested[record.name]))
                }
            }
            for _ in 0..<max(1, context.options.jobs) { start() }
            while let (index, package) = try await group.next() {
                results[index] = package
                start()
            }
        }
        return results.compactMap { $0 }
    }
}
