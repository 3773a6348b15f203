/// Paths inside the image being built: absolute, normalized (`/app/./x/../y` → `/app/y`).
enum ImagePath {
    /// The normalized absolute path, or nil after reporting a relative or empty one.
    static func absolute(_ field: Field, in context: RecipeParseContext) -> String? {
        guard let text = field.nonEmptyString(in: context, expected: "an absolute path inside the image") else { return nil }
        guard text.hasPrefix("/") else {
            context.report(
                field, "must be an absolute path inside the image (got \(Quoted.text(text)))",
                suggestion: "did you mean \(Quoted.text("/" + text))?")
            return nil
        }
        guard !text.unicodeScalars.contains("\0") else {
            context.report(field, "a path cannot contain a NUL character")
            return nil
        }
        return PathNormalizer.normalize(text)
    }
}
