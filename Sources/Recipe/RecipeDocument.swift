import OCI
import Yams

/// Reads the top level of a recipe document into a `Recipe`, reporting every problem found.
enum RecipeDocument {
    static let keys = ["image", "platform", "base", "compression", "steps"]

    static func read(_ root: Node, directory: String, in context: RecipeParseContext) -> Recipe? {
        let field = Field(node: root, path: .root)
        guard let map = MappingFields(
            field, keys: keys, expected: "a mapping with image, base and steps", in: context)
        else { return nil }
        var valid = true
        let images = map.required("image", "the reference to tag the result with, e.g. myapp:1.0", valid: &valid, in: context) {
            readImages($0, in: context)
        }
        let platform = map.optional("platform", valid: &valid) { readPlatform($0, in: context) } ?? Recipe.defaultPlatform
        let baseField = map.value("base")
        let base = map.required("base", "the image to build on: a reference, oci:DIR, scratch or {dlc: ...}", valid: &valid, in: context) {
            BaseImage.parse($0, in: context)
        }
        let compression = map.optional("compression", valid: &valid) { LayerCompression.parse($0, in: context) } ?? .default
        let steps = map.optional("steps", valid: &valid) { readSteps($0, in: context) } ?? []
        guard valid, let images, let base, let baseField else { return nil }
        return Recipe(
            file: context.file, directory: directory, images: images, platform: platform, base: base,
            baseLocation: baseField.location(in: context), compression: compression, steps: steps)
    }

    private static func readImages(_ field: Field, in context: RecipeParseContext) -> [ImageReference]? {
        guard let texts = field.strings(in: context, expected: "an image reference or a list of them") else { return nil }
        guard !texts.isEmpty else {
            context.report(field, "names no image", suggestion: "give at least one reference, e.g. myapp:1.0")
            return nil
        }
        var references: [ImageReference] = []
        var valid = true
        for (text, item) in texts {
            do {
                let reference = try ImageReference(parsing: text)
                if reference.digest != nil {
                    context.report(item, "a build target cannot name a digest (got \(Quoted.text(text)))", suggestion: "give a tag instead")
                    valid = false
                } else if references.contains(reference) {
                    context.report(item, "\(Quoted.text(text)) is listed twice")
                    valid = false
                } else {
                    references.append(reference)
                }
            } catch {
                context.report(item, error.description)
                valid = false
            }
        }
        return valid ? references : nil
    }

    /// Architectures Go and OCI name, and what people often write instead.
    static let architectures = ["amd64", "arm64", "arm", "386", "ppc64le", "s390x", "riscv64", "mips64le", "loong64"]
    static let architectureAliases = ["x86_64": "amd64", "x86-64": "amd64", "x64": "amd64", "aarch64": "arm64", "armv8": "arm64", "i386": "386", "i686": "386"]

    private static func readPlatform(_ field: Field, in context: RecipeParseContext) -> Platform? {
        guard let text = field.nonEmptyString(in: context, expected: "a platform like linux/amd64") else { return nil }
        let platform: Platform
        do {
            platform = try Platform(parsing: text)
        } catch {
            context.report(field, error.description)
            return nil
        }
        guard platform.os == "linux" else {
            context.report(field, "only linux images can be built (got \(Quoted.text(text)))", suggestion: "write linux/\(platform.architecture)")
            return nil
        }
        guard architectures.contains(platform.architecture) else {
            let suggestion = architectureAliases[platform.architecture.lowercased()].map { "did you mean 'linux/\($0)'?" }
                ?? NameSuggestions.hint(for: platform.architecture, in: architectures, noun: "architectures")
            context.report(field, "unknown architecture \(Quoted.text(platform.architecture))", suggestion: suggestion)
            return nil
        }
        return platform
    }

    private static func readSteps(_ field: Field, in context: RecipeParseContext) -> [RecipeStep]? {
        guard let items = field.items(in: context, expected: "a list of steps", singleAllowed: false) else { return nil }
        let steps = items.enumerated().compactMap { RecipeStep.parse($0.element, index: $0.offset, in: context) }
        return steps.count == items.count ? steps : nil
    }
}
