import Foundation

/// `http://` and `https://` URLs named in a recipe (indexes, channels, wheel and package URLs).
enum HTTPURL {
    /// The URL text, or nil after reporting anything that is not an http(s) URL with a host.
    static func check(_ text: String, field: Field, what: String = "an http:// or https:// URL", in context: RecipeParseContext) -> String? {
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
              let host = url.host, !host.isEmpty
        else {
            context.report(field, "expected \(what), got \(Quoted.text(text))")
            return nil
        }
        return text
    }

    /// The path part of a URL text, without query and fragment, for checking file extensions.
    static func pathPart(_ text: String) -> String {
        let withoutFragment = text.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        return String(withoutFragment.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first ?? "")
    }

    /// The fragment after `#`, if any.
    static func fragment(_ text: String) -> String? {
        guard let hash = text.firstIndex(of: "#") else { return nil }
        return String(text[text.index(after: hash)...])
    }

    /// The URL without its fragment.
    static func withoutFragment(_ text: String) -> String {
        guard let hash = text.firstIndex(of: "#") else { return text }
        return String(text[..<hash])
    }
}
