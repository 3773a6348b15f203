/// How the build compresses the layers it writes: `compression: gzip` (default), `zstd`, or
/// `{algorithm: zstd, level: 19}`.
public struct LayerCompression: Sendable, Hashable, CustomStringConvertible {
    public enum Algorithm: String, Sendable, Hashable, CaseIterable {
        case gzip, zstd

        /// Levels the recipe accepts.
        public var levels: ClosedRange<Int> {
            switch self {
            case .gzip: return 1...9
            case .zstd: return 1...22
            }
        }
    }

    public var algorithm: Algorithm
    /// Nil: the layer writer's default for the algorithm.
    public var level: Int?

    public init(algorithm: Algorithm = .gzip, level: Int? = nil) {
        self.algorithm = algorithm
        self.level = level
    }

    public static let `default` = LayerCompression()

    public var description: String {
        level.map { "\(algorithm.rawValue) level \($0)" } ?? algorithm.rawValue
    }
}

extension LayerCompression: CanonicallyEncodable {
    var canonical: CanonicalValue {
        .object(["algorithm": .string(algorithm.rawValue), "level": level.map(CanonicalValue.integer)])
    }
}

extension LayerCompression {
    static let keys = ["algorithm", "level"]

    static func parse(_ field: Field, in context: RecipeParseContext) -> LayerCompression? {
        if case .mapping = field.node {
            guard let map = MappingFields(field, keys: keys, expected: "gzip, zstd or {algorithm, level}", in: context) else {
                return nil
            }
            var valid = true
            let algorithm = map.optional("algorithm", valid: &valid) { parseAlgorithm($0, in: context) } ?? .gzip
            let level = map.optional("level", valid: &valid) { parseLevel($0, algorithm: algorithm, in: context) }
            return valid ? LayerCompression(algorithm: algorithm, level: level) : nil
        }
        return parseAlgorithm(field, in: context).map { LayerCompression(algorithm: $0) }
    }

    private static func parseAlgorithm(_ field: Field, in context: RecipeParseContext) -> Algorithm? {
        let names = Algorithm.allCases.map(\.rawValue)
        guard let text = field.string(in: context, expected: "gzip or zstd") else { return nil }
        guard let algorithm = Algorithm(rawValue: text.lowercased()) else {
            context.report(
                field, "unknown compression \(Quoted.text(text))",
                suggestion: NameSuggestions.hint(for: text, in: names, noun: "choices"))
            return nil
        }
        return algorithm
    }

    private static func parseLevel(_ field: Field, algorithm: Algorithm, in context: RecipeParseContext) -> Int? {
        let range = algorithm.levels
        guard let level = field.integer(in: context, expected: "a \(algorithm.rawValue) level from \(range.lowerBound) to \(range.upperBound)") else {
            return nil
        }
        guard range.contains(level) else {
            context.report(field, "\(algorithm.rawValue) levels go from \(range.lowerBound) to \(range.upperBound) (got \(level))")
            return nil
        }
        return level
    }
}
