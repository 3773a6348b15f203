import Conda
import Testing

@Suite struct VersionSpecTests {
    func matches(_ spec: String, _ version: String) throws -> Bool {
        try VersionSpec(spec).matches(version)
    }

    @Test func exactVersionsPadWithZeros() throws {
        #expect(try matches("1.7.2", "1.7.2"))
        #expect(try matches("1.7", "1.7.0"))
        #expect(try !matches("1.7", "1.7.1"))
        #expect(try matches("==1.7.1.0", "1.7.1"))
        #expect(try !matches("==1.7", "1.7.1"))
        #expect(try VersionSpec("==1.7").exactVersion == CondaVersion("1.7"))
        #expect(try VersionSpec("1.7*").exactVersion == nil)
    }

    @Test func trailingStarMeansStartsWith() throws {
        #expect(try matches("1.7.*", "1.7"))
        #expect(try matches("1.7.*", "1.7.3"))
        #expect(try matches("1.7*", "1.7.3"))
        #expect(try !matches("1.7.*", "1.70"))
        #expect(try !matches("1.7.*", "1.8.0"))
        #expect(try matches("=1.7", "1.7.5"))
        #expect(try matches("=1.7.*", "1.7.5"))
        #expect(try !matches("=1.7", "1.8"))
        #expect(try matches("3.10.*", "3.10.12"))
        #expect(try !matches("3.10.*", "3.1.0"))
    }

    @Test func relationalOperators() throws {
        #expect(try matches(">=1.7", "1.7"))
        #expect(try matches(">=1.7", "2.0"))
        #expect(try !matches(">=1.7", "1.6.9"))
        #expect(try matches(">1.7", "1.7.0.1"))
        #expect(try !matches(">1.7", "1.7.0"))
        #expect(try matches("<2", "1.99"))
        #expect(try !matches("<2", "2.0"))
        #expect(try matches("<=2", "2.0.0"))
        #expect(try matches("!=1.7", "1.7.1"))
        #expect(try !matches("!=1.7", "1.7.0"))
        #expect(try !matches("!=1.7.*", "1.7.1"))
        #expect(try matches("!=1.7.*", "1.8"))
        #expect(try matches(">=1.7.*", "1.7"))
        // `<3.11.0a0` is how conda-build excludes every 3.11 release and pre-release.
        #expect(try matches(">=3.10,<3.11.0a0", "3.10.12"))
        #expect(try !matches(">=3.10,<3.11.0a0", "3.11.0rc1"))
        #expect(try !matches(">=3.10,<3.11.0a0", "3.11.0"))
        #expect(try matches(">1.7.1a", "1.7.1"))
    }

    @Test func compatibleRelease() throws {
        #expect(try matches("~=1.4.2", "1.4.2"))
        #expect(try matches("~=1.4.2", "1.4.9"))
        #expect(try !matches("~=1.4.2", "1.5.0"))
        #expect(try !matches("~=1.4.2", "1.4.1"))
        #expect(try matches("~=1.4", "1.9"))
        #expect(try !matches("~=1.4", "2.0"))
        #expect(throws: VersionSpecError.self) { try VersionSpec("~=1") }
        #expect(throws: VersionSpecError.self) { try VersionSpec("~=1.4.*") }
    }

    @Test func andOrAndParentheses() throws {
        #expect(try matches(">=1.7,<2", "1.9"))
        #expect(try !matches(">=1.7,<2", "2.0"))
        #expect(try matches("1.7|1.8", "1.8"))
        #expect(try !matches("1.7|1.8", "1.9"))
        #expect(try matches(">=1,<2|>3", "3.1"))
        #expect(try matches(">=1,<2|>3", "1.5"))
        #expect(try !matches(">=1,<2|>3", "2.5"))
        #expect(try matches(">=1,(<2|>3)", "3.5"))
        #expect(try !matches("(>=1,<2)|>3", "0.5"))
        #expect(try matches(">1.8,<2|==1.7", "1.7"))
        #expect(try !matches(">1.8,<2|==1.7", "1.7.1"))
        #expect(try matches("1.6*|1.7*", "1.7.1"))
        #expect(try matches(" >=1.5 , <2 ", "1.7.1"))
    }

    @Test func globsAndRegularExpressionsMatchTheText() throws {
        #expect(try matches("*", "anything"))
        #expect(try VersionSpec("*").matchesAll)
        #expect(try matches("*.7.*", "1.7.1"))
        #expect(try !matches("*.8.*", "1.7.1"))
        #expect(try matches(">=1,*.7.*", "1.7.1"))
        #expect(try matches("^1\\.7\\.[0-9]+$", "1.7.12"))
        #expect(try !matches("^1\\.7\\.[0-9]+$", "1.7.x"))
    }

    @Test func invalidVersionsMatchOnlyWildcards() throws {
        #expect(try !matches(">=1", "not a version"))
        #expect(try matches("*", "not a version"))
    }

    @Test func rejectsMalformedSpecs() {
        for bad in ["", ">= 1.7", "<>1", "=>1", "1.7,", "(1.7", "1.7)", "|1", "^1.7", "1.7$", "!1", ">=1..2", "~1.2"] {
            #expect(throws: VersionSpecError.self, "\(bad)") { try VersionSpec(bad) }
        }
    }

    @Test func describesItselfInANormalForm() throws {
        #expect(try VersionSpec(">=1.7, <2").description == ">=1.7,<2")
        #expect(try VersionSpec("1.7*").description == "1.7.*")
        #expect(try VersionSpec(">=1,(<2|>3)").description == ">=1,(<2|>3)")
        #expect(try VersionSpec("!=1.7.*").description == "!=1.7.*")
        for text in [">=1.7,<2|>3", "1.7.*", "~=1.4.2", "=1.7", "*.7.*", "!=1.7.*"] {
            let spec = try VersionSpec(text)
            #expect(try VersionSpec(spec.description) == spec, "\(text)")
        }
    }

    @Test func combinesWithAnd() throws {
        let combined = try VersionSpec(">=1.7").and(VersionSpec("<2"))
        #expect(combined.matches("1.9"))
        #expect(!combined.matches("2.1"))
        #expect(try VersionSpec.any.and(VersionSpec("1.7")) == VersionSpec("1.7"))
    }

    /// `test_match` in conda's `test_version.py`: each spec against version 1.7.1.
    @Test(arguments: [
        ("1.7.*", true), ("1.7.1", true), ("1.7.0", false), ("1.7", false), ("1.5.*", false), (">=1.5", true),
        ("!=1.5", true), ("!=1.7.1", false), ("==1.7.1", true), ("==1.7", false), ("==1.7.2", false),
        ("==1.7.1.0", true), ("1.7.*|1.8.*", true), (">1.7,<1.8", true), (">1.7.1,<1.8", false), ("^1.7.1$", true),
        (#"^1\.7\.1$"#, true), (#"^1\.7\.[0-9]+$"#, true), (#"^1\.8.*$"#, false), (#"^1\.[5-8]\.1$"#, true),
        (#"^[^1].*$"#, false), (#"^[0-9+]+\.[0-9+]+\.[0-9]+$"#, true), ("^$", false), ("^.*$", true),
        ("1.7.*|^0.*$", true), ("1.6.*|^0.*$", false), ("1.6.*|^0.*$|1.7.1", true), ("^0.*$|1.7.1", true),
        (#"1.6.*|^.*\.7\.1$|0.7.1"#, true), ("*", true), ("1.*.1", true), ("1.5.*|>1.7,<1.8", true),
        ("1.5.*|>1.7,<1.7.1", false),
    ])
    func condasMatchTable(_ spec: String, _ expected: Bool) throws {
        #expect(try VersionSpec(spec).matches("1.7.1") == expected)
    }

    @Test func versionEvaluationsFromCondasTests() throws {
        #expect(try matches("==1.7", "1.7.0"))
        #expect(try matches("<=1.7", "1.7.0"))
        #expect(try !matches("<1.7", "1.7.0"))
        #expect(try !matches(">2013b", "2013a"))
        #expect(try matches(">2013b", "2013k"))
        #expect(try !matches(">2013b", "3.0.0"))
        #expect(try matches(">1.0.0a", "1.0.0"))
        #expect(try matches(">1.0.0*", "1.0.0"))
        #expect(try matches("1.0*", "1.0"))
        #expect(try matches("1.0.0*", "1.0"))
        #expect(try !matches("1.0.0*", "1.0.1"))
        #expect(try matches("2013a*", "2013ab"))
        #expect(try !matches("2013b*", "2013a"))
        #expect(try matches("1.2.3*", "1.2.3+4.5.6"))
        #expect(try matches("1.2.3+4*", "1.2.3+4.5.6"))
        #expect(try !matches("1.2.3+5*", "1.2.3+4.5.6"))
        #expect(try matches("=3.3", "3.3"))
        #expect(try !matches("!=3.3", "3.3.0.0"))
        #expect(try !matches("!=3.3.*", "3.3.0.0"))
        let compound = try VersionSpec(">=2.7, !=3.0.*, !=3.1.*, !=3.2.*, !=3.3.*")
        #expect(!compound.matches("2.6.8"))
        #expect(compound.matches("2.7.2"))
        #expect(!compound.matches("3.3.4"))
        #expect(compound.matches("3.4a"))
        #expect(try matches("~=1.10", "1.11.0"))
        #expect(try !matches("~=1.10.0", "1.11.0"))
        #expect(try matches("~=3.3.2", "3.3.2.0"))
        #expect(try matches("~=3.3.2|==2.2", "2.2.0"))
        #expect(try !matches("~=3.3.2|==2.2", "2.2.1"))
    }

    @Test func rejectsTheInvalidSpecsFromCondasTests() {
        for bad in ["><2.4.5", "!!2.4.5", "!", "(1.5", "1.5)", "1.5||1.6", "^1.5", "~", "^", "1.2+", "+1.2", "+1.2+", "++",
            "c +, 0/|0 *", "a[version=)|(", "a=)(=b", "==", "=", ">=", "<=", "===3.3.2"]
        {
            #expect(throws: VersionSpecError.self, "\(bad)") { try VersionSpec(bad) }
        }
    }

    @Test func nestedGroupsFlatten() throws {
        let spec = try VersionSpec("( (1.5|((1.6|1.7), 1.8), 1.9 |2.0))|2.1")
        #expect(spec.description == "1.5|(1.6|1.7),1.8,1.9|2.0|2.1")
        #expect(spec.matches("2.1"))
        #expect(!spec.matches("1.6"))
    }
}
