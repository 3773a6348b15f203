/// A conda package version with conda's ordering (`VersionOrder` in conda's `models/version.py`).
///
/// Parsing, case-insensitive:
/// - an optional epoch `N!` (default 0) and an optional local part after `+`;
/// - the rest splits into components at `.` and `_` (`-` counts as `_` when the string has no `_`);
///   a trailing `_` stays on the last component (`1.1_`, openssl-style);
/// - each component splits into runs of digits, of `*`, and of other characters; a component that
///   does not start with a digit gets a leading 0, so `1.1.a1` == `1.1.0a1`.
///
/// Ordering of corresponding subcomponents: numbers numerically; text lexicographically;
/// text < number; `dev` below all other text; `post` above every number; a missing subcomponent
/// counts as 0, so `1.1` == `1.1.0`. The local part is compared only when the rest is equal.
/// Examples: `1.1dev1 < 1.1a1 < 1.1.0rc1 < 1.1 < 1.1.post1 < 1.1post1 < 1!0.4`.
public struct CondaVersion: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The version as written.
    public let original: String
    /// Lowercased, trimmed, with dashes turned into underscores where conda does.
    public let normalized: String
    /// Epoch first, then the version's components.
    let components: [[Subcomponent]]
    /// The local part's components (after `+`); empty when there is none.
    let local: [[Subcomponent]]

    /// Parses `text`; throws when it is empty or has characters conda does not allow.
    public init(_ text: String) throws(CondaVersionError) {
        original = text
        var version = text.trimmingWhitespace().lowercased()
        guard !version.isEmpty else { throw .empty }
        if !Self.hasOnlyAllowedCharacters(version), version.contains("-"), !version.contains("_") {
            version = version.replacingAll("-", with: "_")
        }
        guard Self.hasOnlyAllowedCharacters(version) else { throw .invalidCharacters(text) }
        normalized = version

        let epochSplit = version.split(separator: "!", omittingEmptySubsequences: false).map(String.init)
        guard epochSplit.count <= 2 else { throw .invalid(text, reason: "more than one epoch separator '!'") }
        let epoch = epochSplit.count == 2 ? epochSplit[0] : "0"
        guard !epoch.isEmpty, epoch.allSatisfy(\.isASCIIDigit) else {
            throw .invalid(text, reason: "the epoch must be an integer")
        }
        let localSplit = epochSplit[epochSplit.count - 1].split(separator: "+", omittingEmptySubsequences: false)
            .map(String.init)
        guard localSplit.count <= 2 else { throw .invalid(text, reason: "more than one local version separator '+'") }
        let main = localSplit[0]
        guard !main.isEmpty else { throw .invalid(text, reason: "nothing before the local version separator '+'") }

        var mainParts: [String]
        if main.hasSuffix("_") {
            mainParts = String(main.dropLast()).replacingAll("_", with: ".").splitKeepingEmpty(".")
            mainParts[mainParts.count - 1] += "_"
        } else {
            mainParts = main.replacingAll("_", with: ".").splitKeepingEmpty(".")
        }
        components = try ([epoch] + mainParts).map { part throws(CondaVersionError) in
            try Self.subcomponents(of: part, in: text)
        }
        if localSplit.count == 2 {
            local = try localSplit[1].replacingAll("_", with: ".").splitKeepingEmpty(".").map {
                part throws(CondaVersionError) in try Self.subcomponents(of: part, in: text)
            }
        } else {
            local = []
        }
    }

    public var description: String { original }

    // MARK: Comparison

    public static func == (lhs: CondaVersion, rhs: CondaVersion) -> Bool {
        Self.compare(lhs.components, rhs.components) == 0 && Self.compare(lhs.local, rhs.local) == 0
    }

    public static func < (lhs: CondaVersion, rhs: CondaVersion) -> Bool {
        let main = Self.compare(lhs.components, rhs.components)
        return main != 0 ? main < 0 : Self.compare(lhs.local, rhs.local) < 0
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(Self.trimmed(components))
        hasher.combine(Self.trimmed(local))
    }

    /// Conda's prefix test behind `1.7.*` and `=1.7`: the components match up to `prefix`'s last
    /// one; a last text subcomponent matches as a string prefix (`1.1a*` matches `1.1alpha`), a
    /// number must be equal (`1.7*` matches `1.7.3` but not `1.70`). Missing parts count as 0.
    public func starts(with prefix: CondaVersion) -> Bool {
        let mine: [[Subcomponent]]
        let theirs: [[Subcomponent]]
        if !prefix.local.isEmpty {
            guard Self.compare(components, prefix.components) == 0 else { return false }
            mine = local
            theirs = prefix.local
        } else {
            mine = components
            theirs = prefix.components
        }
        let last = theirs.count - 1
        guard Self.compare(Array(mine.prefix(last)), Array(theirs.prefix(last))) == 0 else { return false }
        let myComponent = mine.count > last ? mine[last] : []
        let theirComponent = theirs[last]
        let lastSub = theirComponent.count - 1
        guard Self.compare([Array(myComponent.prefix(lastSub))], [Array(theirComponent.prefix(lastSub))]) == 0 else {
            return false
        }
        let mySub = myComponent.count > lastSub ? myComponent[lastSub] : .zero
        let theirSub = theirComponent[lastSub]
        if case .text(let wanted) = theirSub {
            if case .text(let have) = mySub { return have.hasPrefix(wanted) }
            return false
        }
        return mySub == theirSub
    }

    // MARK: Parsing helpers

    private static func hasOnlyAllowedCharacters(_ text: String) -> Bool {
        text.unicodeScalars.allSatisfy { scalar in
            switch scalar {
            case "a"..."z", "0"..."9", "*", ".", "+", "!", "_": return true
            default: return false
            }
        }
    }

    private static func subcomponents(of part: String, in text: String) throws(CondaVersionError) -> [Subcomponent] {
        guard let first = part.first else { throw .invalid(text, reason: "empty version component") }
        var runs: [String] = []
        var current = ""
        var currentKind = -1
        for character in part {
            let kind = character.isASCIIDigit ? 0 : (character == "*" ? 1 : 2)
            if kind != currentKind, !current.isEmpty {
                runs.append(current)
                current = ""
            }
            currentKind = kind
            current.append(character)
        }
        runs.append(current)
        let parsed = runs.map { run -> Subcomponent in
            if run.first!.isASCIIDigit { return .number(Self.strippingLeadingZeros(run)) }
            if run == "post" { return .post }
            // Upper case sorts before '_' and lower case: '*' < 'DEV' < '_' < 'a'.
            if run == "dev" { return .text("DEV") }
            return .text(run)
        }
        return first.isASCIIDigit ? parsed : [.zero] + parsed
    }

    private static func strippingLeadingZeros(_ digits: String) -> String {
        let stripped = digits.drop(while: { $0 == "0" })
        return stripped.isEmpty ? "0" : String(stripped)
    }

    /// -1, 0 or 1, with missing components and subcomponents counting as 0.
    static func compare(_ lhs: [[Subcomponent]], _ rhs: [[Subcomponent]]) -> Int {
        for index in 0..<max(lhs.count, rhs.count) {
            let left = index < lhs.count ? lhs[index] : []
            let right = index < rhs.count ? rhs[index] : []
            for sub in 0..<max(left.count, right.count) {
                let a = sub < left.count ? left[sub] : .zero
                let b = sub < right.count ? right[sub] : .zero
                if a < b { return -1 }
                if b < a { return 1 }
            }
        }
        return 0
    }

    /// The form equal versions share: trailing zeros and then trailing empty components dropped.
    private static func trimmed(_ parts: [[Subcomponent]]) -> [[Subcomponent]] {
        var result = parts.map { component -> [Subcomponent] in
            var component = component
            while component.last == .zero { component.removeLast() }
            return component
        }
        while result.last?.isEmpty == true { result.removeLast() }
        return result
    }
}

/// One run inside a version component.
enum Subcomponent: Hashable, Comparable, Sendable {
    /// Text, lower case except conda's `DEV` marker.
    case text(String)
    /// A number's digits without leading zeros (arbitrary length).
    case number(String)
    /// `post`: greater than every number.
    case post

    static let zero = Subcomponent.number("0")

    static func < (lhs: Subcomponent, rhs: Subcomponent) -> Bool {
        switch (lhs, rhs) {
        case (.text(let a), .text(let b)): return a.utf8.lexicographicallyPrecedes(b.utf8)
        case (.text, _): return true
        case (_, .text): return false
        case (.number(let a), .number(let b)):
            return a.count != b.count ? a.count < b.count : a.utf8.lexicographicallyPrecedes(b.utf8)
        case (.number, .post): return true
        case (.post, _): return false
        }
    }
}

/// Why a version string is not a conda version.
public enum CondaVersionError: Error, Sendable, Hashable, CustomStringConvertible {
    case empty
    case invalidCharacters(String)
    case invalid(String, reason: String)

    public var description: String {
        switch self {
        case .empty: return "empty version string"
        case .invalidCharacters(let text):
            return "invalid version '\(text)': only letters, digits and . _ + ! * (or - without _) are allowed"
        case .invalid(let text, let reason): return "invalid version '\(text)': \(reason)"
        }
    }
}
