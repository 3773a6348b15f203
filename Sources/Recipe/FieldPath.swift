/// A path to a value in the recipe document: `steps[2].copy.src[0]` (list indices from 0).
struct FieldPath: Hashable, CustomStringConvertible {
    private var text: String

    static let root = FieldPath(text: "")

    private init(text: String) {
        self.text = text
    }

    func key(_ name: String) -> FieldPath {
        FieldPath(text: text.isEmpty ? name : "\(text).\(name)")
    }

    func index(_ position: Int) -> FieldPath {
        FieldPath(text: "\(text)[\(position)]")
    }

    var description: String { text }
}
