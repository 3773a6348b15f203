import ArgumentParser
import Builder
import Catalog
import Fetch
import Foundation
import OCI
import Recipe
import Registry
import Transfer

struct BuildCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "build",
        abstract: "Build an image from a recipe, without a Docker daemon.",
        discussion: """
            Each copy/remove step becomes a layer written by smimg itself; env, workdir, user, \
            entrypoint, cmd, labels, expose and stopsignal edit the configuration. Layers are kept \
            in the build cache (SMIMG_CACHE, default ~/.cache/smimg) and reused while a step's \
            definition and input files are unchanged.

            Without --output or --push the image is built (and cached) but written nowhere.
            Examples:
              smimg build recipes/local-hello.yml --output oci:/tmp/hello:1
              smimg build recipe.yml --push --tag latest
              smimg build recipe.yml --dry-run
            The recipe format: docs/recipe.md.
            """)

    @Argument(help: "The recipe (YAML).")
    var recipe: String

    @Option(help: "Write the image here: oci:DIR[:TAG], docker-archive:FILE[:NAME:TAG] or docker://REF.")
    var output: String?

    @Flag(help: "Push the image to the recipe's image: references (and --tag).")
    var push = false

    @Option(name: .customLong("tag"), help: "Also push under this tag of the recipe's first image (or this full reference); repeatable.")
    var tags: [String] = []

    @Option(help: "Build for this platform (os/arch[/variant]) instead of the recipe's.")
    var platform: String?

    @Flag(help: "Print the plan (base, steps, cache status) without fetching or writing anything.")
    var dryRun = false

    @Flag(help: "Write every layer anew instead of reusing cached ones.")
    var noCache = false

    @Flag(help: "pip and conda steps must use the resolution in the recipe's lock file (recipe.lock); fail instead of resolving anew.")
    var locked = false

    @Option(name: .customLong("trusted-host"), help: "Do not verify TLS for this package index or channel host (host or host:port; repeatable), like pip's --trusted-host.")
    var trustedHosts: [String] = []

    @Option(name: .shortAndLong, help: "Blobs transferred at once.")
    var jobs: Int = 4

    @Option(name: .customLong("src-creds"), help: "USER:PASSWORD for the base image's registry.")
    var sourceCredentials: String?

    @Option(name: .customLong("dest-creds"), help: "USER:PASSWORD for the registry pushed to.")
    var destinationCredentials: String?

    @Option(help: "Custom DLC catalog JSON file (overrides SMIMG_CATALOG).")
    var catalog: String?

    @OptionGroup var registry: RegistryOptions
    @OptionGroup var ecr: ECROptions
    @OptionGroup var outputOptions: OutputOptions

    func validate() throws {
        if !tags.isEmpty, !push { throw ValidationError("--tag names extra tags to push: add --push") }
    }

    func run() async throws {
        outputOptions.bootstrapLogging()
        let json = outputOptions.json
        let loaded: Recipe
        do {
            loaded = try Recipe.load(path: recipe)
        } catch {
            throw Self.reportRecipeProblems(error.errors, json: json)
        }
        try await ErrorReporting.run(json: json) {
            do {
                try await build(loaded)
            } catch let error as RecipeError {
                throw Self.reportRecipeProblems([error], json: json)
            } catch let error as RecipeErrors {
                throw Self.reportRecipeProblems(error.errors, json: json)
            } catch let error as BuildError {
                guard case .platformNotInBase = error else { throw error }
                // Not found, as `copy --platform` reports a missing platform.
                FileHandle.standardError.write(Data("error: \(error)\n".utf8))
                if json {
                    struct Failure: Encodable { var error: String; var exitCode: Int32 }
                    try? printJSON(Failure(error: error.description, exitCode: 3))
                }
                throw ExitCode(3)
            }
        }
    }

    /// Recipe problems: one line each on stderr (and the JSON error), exit status 64.
    static func reportRecipeProblems(_ errors: [RecipeError], json: Bool) -> ExitCode {
        for error in errors {
            FileHandle.standardError.write(Data((error.description + "\n").utf8))
        }
        if json {
            struct Failure: Encodable { var error: String; var exitCode: Int32 }
            try? printJSON(Failure(error: errors.map(\.description).joined(separator: "\n"), exitCode: RecipeErrors.exitStatus))
        }
        return ExitCode(RecipeErrors.exitStatus)
    }

    private func build(_ recipe: Recipe) async throws {
        let wanted = try platform.map { try Platform(parsing: $0) }
        let destinations = try self.destinations(for: recipe)
        let options = BuildOptions(
            platform: wanted, useCache: !noCache, sourceDateEpoch: try BuildOptions.sourceDateEpochFromEnvironment(),
            catalog: try catalog.map { try Catalog.load(customFile: $0) }, jobs: max(1, jobs), locked: locked,
            fetch: FetchSettings(insecureHosts: Set(trustedHosts), userAgent: "smimg"))
        let store = ContentStore.fromEnvironment()
        let quiet = outputOptions.quiet
        let progress: any BuildProgress = quiet || dryRun ? SilentBuildProgress() : StepLinesProgress()

        if dryRun {
            let plan = try await ImageBuilder(recipe: recipe, store: store, registry: nil, options: options, progress: progress).plan()
            if outputOptions.json {
                try printJSON(plan)
            } else {
                print(PlanText.render(plan, destinations: destinations.map(\.description)))
            }
            return
        }

        let settings = try ecr.repositorySettings()
        let baseRegion: String? = {
            guard case .registry(let reference, _) = try? builderBase(recipe) else { return nil }
            return ImageLocation.registry(reference).ecrRegion
        }()
        let destinationRegion = destinations.lazy.compactMap(\.ecrRegion).first
        try await withAWS { aws in
        let sourceTransport = try registry.transport(
            creds: sourceCredentials, ecr: aws.ecrCredentialSource(profile: ecr.profile, region: baseRegion),
            logger: outputOptions.logger)
        let destinationTransport = try registry.transport(
            creds: destinationCredentials, ecr: aws.ecrCredentialSource(profile: ecr.profile, region: destinationRegion),
            logger: outputOptions.logger)
        try await withTransports([sourceTransport, destinationTransport]) {
            let started = ContinuousClock.now
            let builder = ImageBuilder(
                recipe: recipe, store: store, registry: RegistryClient(transport: sourceTransport), options: options,
                progress: progress)
            let result = try await builder.build()
            let copies = try await publish(result, to: destinations, aws: aws, transport: destinationTransport, settings: settings)
            let elapsed = ContinuousClock.now - started
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            if outputOptions.json {
                try printJSON(BuildSummary(result: result, outputs: copies, seconds: seconds))
            } else {
                print(result.digest)
                if !quiet {
                    let hits = result.steps.filter { $0.cache == .hit }.count
                    let layers = result.steps.filter(\.writesLayer).count
                    var line = "built \(result.digest) in \(String(format: "%.1f", seconds)) s (\(layers) layer step(s), \(hits) from the cache)"
                    if destinations.isEmpty { line += "; written nowhere: give --output DEST or --push" }
                    if let lockFile = result.lockFile { line += "; wrote \(lockFile)" }
                    outputOptions.logger.info("\(line)")
                }
            }
        }
        }
    }

    /// The recipe's base, resolved (DLC specs through the catalog), to pick the AWS region of an ECR base.
    private func builderBase(_ recipe: Recipe) throws -> ResolvedBase {
        try ImageBuilder(recipe: recipe, store: ContentStore.fromEnvironment(), registry: nil,
                         options: BuildOptions(catalog: try catalog.map { try Catalog.load(customFile: $0) })).resolvedBase()
    }

    /// Writes the built image to each destination (ECR repositories created first, unless
    /// `--no-create-repo`), blobs the destination has skipped, base blobs mounted where possible.
    private func publish(
        _ result: BuildResult, to destinations: [ImageLocation], aws: AWSSession, transport: RegistryTransport,
        settings: ECRRepositorySettings
    ) async throws -> [CopyReport] {
        let resolver = LocationResolver(registry: RegistryClient(transport: transport))
        var copies: [CopyReport] = []
        for destination in destinations {
            var imageDestination = try resolver.destination(destination)
            if destinationCredentials == nil {
                if case .registry(let reference) = destination, !ecr.noCreateRepository {
                    _ = try await ECRRepositoryProvisioner(
                        httpClient: aws.httpClient,
                        credentials: aws.credentials(profile: ecr.profile, region: destination.ecrRegion),
                        settings: settings, environment: aws.environment(profile: ecr.profile), logger: outputOptions.logger
                    ).ensureRepository(for: reference)
                }
                // ECR repositories: which blobs are present is asked in bulk (BatchCheckLayerAvailability).
                imageDestination = try ECRImageDestination.wrappingIfECR(
                    imageDestination, location: destination, httpClient: aws.httpClient,
                    credentials: aws.credentials(profile: ecr.profile, region: destination.ecrRegion),
                    environment: aws.environment(profile: ecr.profile),
                    partThreshold: ECRImageDestination.defaultPartThreshold,
                    uploadStateDirectory: ContentStore.fromEnvironment().root + "/ecr-uploads", logger: outputOptions.logger)
            }
            let copier = ImageCopier(
                options: CopyOptions(jobs: jobs, retryPolicy: registry.retryPolicy),
                progress: outputOptions.quiet ? SilentProgress() : StreamProgress())
            copies.append(try await copier.copy(from: result.image, to: imageDestination))
        }
        return copies
    }

    /// Where the image goes: `--output`, then with `--push` the recipe's images and `--tag`s.
    private func destinations(for recipe: Recipe) throws -> [ImageLocation] {
        var result: [ImageLocation] = []
        let first = recipe.images.first
        if let output {
            switch try ImageLocation(parsing: output) {
            case .ociLayout(let path, nil):
                result.append(.ociLayout(path: path, tag: first?.tag ?? "latest"))
            case .dockerArchive(let path, nil):
                result.append(.dockerArchive(path: path, reference: first))
            case let location:
                result.append(location)
            }
        }
        if push {
            result += recipe.images.map(ImageLocation.registry)
            for tag in tags {
                if tag.contains("/") || tag.contains("@") {
                    result.append(.registry(try ImageReference(parsing: tag)))
                } else if let first {
                    result.append(.registry(try ImageReference(parsing: "\(first.registry)/\(first.repository):\(tag)")))
                }
            }
        }
        return result
    }
}

/// One line per finished step on stderr.
struct StepLinesProgress: BuildProgress {
    func message(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }

    func stepFinished(_ report: StepReport, of total: Int) {
        var line = "[\(report.index + 1)/\(total)] \(report.title)"
        if report.writesLayer {
            let size = report.size.map(Self.format) ?? "?"
            let layer = report.layer.map { String($0.dropFirst("sha256:".count).prefix(12)) } ?? "?"
            switch report.cache {
            case .hit: line += ": layer \(layer) (\(size)), cached"
            default: line += ": layer \(layer) (\(size)), written in \(String(format: "%.1f", report.seconds ?? 0)) s"
            }
        } else {
            line += ": config"
        }
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }

    static func format(_ bytes: Int64) -> String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB"]
        var value = Double(bytes)
        var unit = 0
        while value >= 1024, unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        return unit == 0 ? "\(bytes) B" : String(format: "%.1f", value) + " " + units[unit]
    }
}

/// The `--json` result of a build.
struct BuildSummary: Encodable {
    var digest: String
    var mediaType: String
    var config: String
    var platform: String
    var base: String?
    var baseDigest: String?
    var recipeDigest: String
    var steps: [StepReport]
    var outputs: [CopyReport]
    var seconds: Double
    /// The lock file, when the build wrote it.
    var lockFile: String?

    init(result: BuildResult, outputs: [CopyReport], seconds: Double) {
        digest = result.digest.description
        mediaType = result.image.manifest.mediaType
        config = result.configDigest.description
        platform = result.platform.description
        base = result.base
        baseDigest = result.baseDigest?.description
        recipeDigest = result.recipeDigest.description
        steps = result.steps
        self.outputs = outputs
        self.seconds = seconds
        lockFile = result.lockFile
    }
}

/// `--dry-run` as text.
enum PlanText {
    static func render(_ plan: BuildPlan, destinations: [String]) -> String {
        var lines = [
            "recipe    \(plan.recipe) (\(plan.recipeDigest))",
            "image     \(plan.images.joined(separator: ", "))",
            "platform  \(plan.platform)",
            "base      \(plan.base)" + (plan.baseDigest.map { " (\($0))" } ?? ""),
            "output    \(destinations.isEmpty ? "none (give --output DEST or --push)" : destinations.joined(separator: ", "))",
            "steps",
        ]
        for step in plan.steps {
            var line = "  [\(step.index + 1)/\(plan.steps.count)] \(step.title)"
            if step.writesLayer {
                line += " — layer, cache: \(step.cache?.rawValue ?? "unknown")"
                if let layer = step.layer { line += " (\(layer))" }
            } else {
                line += " — config"
            }
            if let note = step.note { line += " — \(note)" }
            lines.append(line)
        }
        return lines.joined(separator: "\n")
    }
}
