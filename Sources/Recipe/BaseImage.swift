import OCI

/// What the image is built on.
public enum BaseImage: Sendable, Hashable, CustomStringConvertible {
    /// A registry image: `python:3.11-slim`, a full ECR URI, a digest reference.
    case reference(ImageReference)
    /// An OCI image layout directory on this machine: `oci:DIR[:TAG]`.
    case ociLayout(OCILayoutBase)
    /// No base: the image holds only what the steps add.
    case scratch
    /// An AWS Deep Learning Container picked from the catalog: `{dlc: pytorch-training, ...}`.
    /// Resolve it with `resolve(using:)`.
    case dlc(DLCBase)

    public var description: String {
        switch self {
        case .reference(let reference): return reference.description
        case .ociLayout(let layout): return layout.description
        case .scratch: return "scratch"
        case .dlc(let base): return base.description
        }
    }
}

extension BaseImage: CanonicallyEncodable {
    var canonical: CanonicalValue {
        switch self {
        case .reference(let reference): return .object(["reference": .string(reference.description)])
        case .ociLayout(let layout):
            return .object(["oci": .object(["directory": .string(layout.directory.written), "tag": layout.tag.map(CanonicalValue.string)])])
        case .scratch: return .object(["scratch": .bool(true)])
        case .dlc(let base): return .object(["dlc": base.canonical])
        }
    }
}

extension BaseImage {
    static let expected = "an image reference, oci:DIR[:TAG], scratch, or a {dlc: ...} mapping"

    static func parse(_ field: Field, in context: RecipeParseContext) -> BaseImage? {
        if case .mapping = field.node {
            return DLCBase.parse(field, in: context).map(BaseImage.dlc)
        }
        guard let text = field.nonEmptyString(in: context, expected: expected) else { return nil }
        if text == "scratch" { return .scratch }
        if text.hasPrefix("oci:") {
            return OCILayoutBase.parse(String(text.dropFirst(4)), field: field, in: context).map(BaseImage.ociLayout)
        }
        do {
            return .reference(try ImageReference(parsing: text))
        } catch {
            context.report(field, error.description, suggestion: referenceHint(text))
            return nil
        }
    }

    private static func referenceHint(_ text: String) -> String? {
        if text.lowercased() == "scratch" { return "did you mean 'scratch'?" }
        if text.lowercased().hasPrefix("oci:") { return "did you mean \(Quoted.text("oci:" + text.dropFirst(4)))?" }
        if text.hasPrefix("docker://") { return "leave out the docker:// prefix" }
        return nil
    }
}
