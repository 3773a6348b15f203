import Catalog
import OCI

/// A base image ready to be pulled: DLC specs turned into registry references.
public enum ResolvedBase: Sendable, Hashable, CustomStringConvertible {
    /// A registry image; `dlc` describes the catalog entry when it came from a DLC spec.
    case registry(ImageReference, dlc: ResolvedImage?)
    case ociLayout(OCILayoutBase)
    case scratch

    public var description: String {
        switch self {
        case .registry(let reference, _): return reference.description
        case .ociLayout(let layout): return layout.description
        case .scratch: return "scratch"
        }
    }
}

extension DLCBase {
    /// The catalog's image for this spec; errors point at the recipe field they are about.
    public func resolve(using resolver: DLCResolver) throws(RecipeError) -> ResolvedImage {
        do {
            return try resolver.resolve(spec)
        } catch {
            throw RecipeError(at: location(for: error), error.description)
        }
    }
}

extension BaseImage {
    /// The base as a pullable reference, layout or scratch. Only DLC specs need the resolver.
    public func resolve(using resolver: DLCResolver) throws(RecipeError) -> ResolvedBase {
        switch self {
        case .reference(let reference): return .registry(reference, dlc: nil)
        case .ociLayout(let layout): return .ociLayout(layout)
        case .scratch: return .scratch
        case .dlc(let base):
            let image = try base.resolve(using: resolver)
            do {
                return .registry(try ImageReference(parsing: image.uri), dlc: image)
            } catch {
                throw RecipeError(at: base.location, "the catalog produced an invalid reference: \(error.description)")
            }
        }
    }
}

extension Recipe {
    /// The recipe's base as a pullable reference, layout or scratch (`base:` DLC specs resolved
    /// through the catalog, with errors at the recipe's line and column).
    public func resolveBase(using resolver: DLCResolver) throws(RecipeError) -> ResolvedBase {
        try base.resolve(using: resolver)
    }
}
