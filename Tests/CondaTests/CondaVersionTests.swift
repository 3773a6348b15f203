import Conda
import Testing

@Suite struct CondaVersionTests {
    /// The ordering listed in conda's `VersionOrder` docstring; `==` marks equal neighbours. The
    /// docstring writes `0.4 < 0.4.0`, a leftover from an older fill value: conda's own tests
    /// (and its zero padding) make them equal.
    static let documentedOrder: [(String, String)] = [
        ("0.4", "=="), ("0.4.0", "<"), ("0.4.1.rc", "=="), ("0.4.1.RC", "<"), ("0.4.1", "<"), ("0.5a1", "<"),
        ("0.5b3", "<"), ("0.5C1", "<"), ("0.5", "<"), ("0.9.6", "<"), ("0.960923", "<"), ("1.0", "<"),
        ("1.1dev1", "<"), ("1.1_", "<"), ("1.1a1", "<"), ("1.1.0dev1", "=="), ("1.1.dev1", "<"), ("1.1.a1", "<"),
        ("1.1.0rc1", "<"), ("1.1.0", "=="), ("1.1", "<"), ("1.1.0post1", "=="), ("1.1.post1", "<"),
        ("1.1post1", "<"), ("1996.07.12", "<"), ("1!0.4.1", "<"), ("1!3.1.1.6", "<"), ("2!0.4.1", ""),
    ]

    @Test func followsTheOrderInCondasDocstring() throws {
        let versions = try Self.documentedOrder.map { try CondaVersion($0.0) }
        for index in 0..<(versions.count - 1) {
            let (a, b) = (versions[index], versions[index + 1])
            if Self.documentedOrder[index].1 == "==" {
                #expect(a == b, "\(a) == \(b)")
                #expect(a.hashValue == b.hashValue, "\(a) and \(b) hash alike")
            } else {
                #expect(a < b, "\(a) < \(b)")
                #expect(!(b < a), "not \(b) < \(a)")
                #expect(a != b)
            }
        }
    }

    @Test func sortingAShuffledListGivesTheDocumentedOrder() throws {
        let written = Self.documentedOrder.map(\.0)
        var generator = SystemRandomNumberGenerator()
        let shuffled = try written.shuffled(using: &generator).map { try CondaVersion($0) }
        let sorted = shuffled.sorted()
        for (index, version) in sorted.enumerated() {
            #expect(version == (try CondaVersion(written[index])), "position \(index): \(version) vs \(written[index])")
        }
    }

    @Test func padsMissingPartsWithZero() throws {
        #expect(try CondaVersion("1.1") == CondaVersion("1.1.0"))
        #expect(try CondaVersion("1.1") == CondaVersion("1.1.0.0"))
        #expect(try CondaVersion("1") < CondaVersion("1.0.1"))
        #expect(Set([try CondaVersion("2.0"), try CondaVersion("2"), try CondaVersion("2.0.0")]).count == 1)
    }

    @Test func preReleasesSortBeforeTheRelease() throws {
        #expect(try CondaVersion("1.0a1") < CondaVersion("1.0"))
        #expect(try CondaVersion("1.0rc1") < CondaVersion("1.0"))
        #expect(try CondaVersion("1.0dev0") < CondaVersion("1.0a1"))
        // A separate `dev` component comes after `a1` of the previous component, as in conda.
        #expect(try CondaVersion("1.0a1") < CondaVersion("1.0.dev0"))
        #expect(try CondaVersion("1.0") < CondaVersion("1.0post1"))
        #expect(try CondaVersion("1.0.post99") < CondaVersion("1.0.1"))
        #expect(try CondaVersion("3.11.0a0") < CondaVersion("3.11.0"))
        #expect(try CondaVersion("3.10.12") < CondaVersion("3.11.0a0"))
    }

    @Test func numbersCompareNumericallyNotAsText() throws {
        #expect(try CondaVersion("1.9") < CondaVersion("1.10"))
        #expect(try CondaVersion("1.010") == CondaVersion("1.10"))
        #expect(try CondaVersion("20230101000000000000001") > CondaVersion("20230101000000000000000"))
    }

    @Test func localVersionOnlyBreaksTies() throws {
        #expect(try CondaVersion("1.0+2") < CondaVersion("1.1+1"))
        #expect(try CondaVersion("1.0+1") < CondaVersion("1.0+2"))
        #expect(try CondaVersion("1.0") < CondaVersion("1.0+1"))
        #expect(try CondaVersion("1.0+abc.1") == CondaVersion("1.0+abc_1"))
    }

    @Test func epochWinsOverEverythingElse() throws {
        #expect(try CondaVersion("2023.1") < CondaVersion("1!0.1"))
        #expect(try CondaVersion("0!1.0") == CondaVersion("1.0"))
    }

    @Test func dashesActAsUnderscoresWhenThereAreNoUnderscores() throws {
        #expect(try CondaVersion("1.0-1") == CondaVersion("1.0_1"))
        #expect(throws: CondaVersionError.self) { try CondaVersion("1.0-1_2") }
    }

    @Test func isCaseInsensitive() throws {
        #expect(try CondaVersion("1.0RC1") == CondaVersion("1.0rc1"))
        #expect(try CondaVersion("1.0DEV") < CondaVersion("1.0a"))
        #expect(try CondaVersion("1.0RC1").normalized == "1.0rc1")
        #expect(try CondaVersion("1.0RC1").description == "1.0RC1")
    }

    @Test func rejectsMalformedVersions() {
        for bad in ["", "  ", "1..2", "1.2.", "1!2!3", "a!1", "1+2+3", "+1", "1.0 beta", "1.0#", "1=2"] {
            #expect(throws: CondaVersionError.self, "\(bad)") { try CondaVersion(bad) }
        }
    }

    @Test func startsWithComparesUpToThePrefixesLastPart() throws {
        func starts(_ version: String, _ prefix: String) throws -> Bool {
            try CondaVersion(version).starts(with: CondaVersion(prefix))
        }
        #expect(try starts("1.7.1", "1.7"))
        #expect(try starts("1.7", "1.7"))
        #expect(try starts("1.7", "1.7.0"))
        #expect(try !starts("1.70", "1.7"))
        #expect(try !starts("1.8", "1.7"))
        #expect(try starts("1.1alpha2", "1.1a"))
        #expect(try !starts("1.1", "1.1a"))
        #expect(try starts("1.0+abc.2", "1.0+abc"))
        #expect(try !starts("1.1+abc", "1.0+abc"))
    }

    /// Sorted lists from conda's `test_version.py` (parser cases, openssl convention, PEP 440).
    static let condaTestOrder = [
        "0.4", "0.4.0", "0.4.1a.vc11", "0.4.1.rc", "0.4.1.vc11", "0.4.1", "0.5*", "0.5a1", "0.5b3", "0.5C1", "0.5z",
        "0.5za", "0.5", "0.5_5", "0.5-5", "0.9.6", "0.960923", "1.0", "1.0.4a3", "1.0.4b1", "1.0.4", "1.1dev1", "1.1_",
        "1.1a1", "1.1.dev1", "1.1.a1", "1.1", "1.1.post1", "1.1.1dev1", "1.1.1rc1", "1.1.1", "1.1.1post1", "1.1post1",
        "2g6", "2.0b1pr0", "2.2be.ta29", "2.2be5ta29", "2.2beta29", "2.2.0.1", "3.1.1.6", "3.2.p.r0", "3.2.pr0",
        "3.2.pr.1", "5.5.kw", "11g", "14.3.1", "14.3.1.post26.g9d75ca2", "1996.07.12", "1!0.4.1", "1!3.1.1.6", "2!0.4.1",
    ]
    static let opensslOrder = [
        "1.0.1dev", "1.0.1_", "1.0.1a", "1.0.1b", "1.0.1c", "1.0.1d", "1.0.1r", "1.0.1rc", "1.0.1rc1", "1.0.1rc2",
        "1.0.1s", "1.0.1", "1.0.1post.a", "1.0.1post.b", "1.0.1post.z", "1.0.1post.za", "1.0.2",
    ]
    static let pep440Order = [
        "1.0a1", "1.0a2.dev456", "1.0a12.dev456", "1.0a12", "1.0b1.dev456", "1.0b2", "1.0b2.post345.dev456",
        "1.0b2.post345", "1.0c1.dev456", "1.0c1", "1.0c3", "1.0rc2", "1.0.dev456", "1.0", "1.0.post456.dev34",
        "1.0.post456", "1.1.dev1", "1.2.r32+123456", "1.2.rev33+123456", "1.2+abc", "1.2+abc123def", "1.2+abc123",
        "1.2+123abc", "1.2+123abc456", "1.2+1234.abc", "1.2+123456",
        "1!1.0a1", "1!1.0a2.dev456", "1!1.0a12.dev456", "1!1.0a12", "1!1.0b1.dev456", "1!1.0b2",
        "1!1.0b2.post345.dev456", "1!1.0b2.post345", "1!1.0c1.dev456", "1!1.0c1", "1!1.0c3", "1!1.0rc2",
        "1!1.0.dev456", "1!1.0", "1!1.0.post456.dev34", "1!1.0.post456", "1!1.1.dev1", "1!1.2.r32+123456",
        "1!1.2.rev33+123456", "1!1.2+abc", "1!1.2+abc123def", "1!1.2+abc123", "1!1.2+123abc", "1!1.2+123abc456",
        "1!1.2+1234.abc", "1!1.2+123456",
    ]

    @Test(arguments: [condaTestOrder, opensslOrder, pep440Order])
    func sortedListsFromCondasTestsAreInOrder(_ list: [String]) throws {
        let versions = try list.map { try CondaVersion($0) }
        for index in 0..<(versions.count - 1) {
            #expect(versions[index] <= versions[index + 1], "\(versions[index]) <= \(versions[index + 1])")
        }
        var generator = SystemRandomNumberGenerator()
        let resorted = versions.shuffled(using: &generator).sorted()
        #expect(zip(resorted, versions).allSatisfy { $0 == $1 })
    }

    @Test func normalizesToLowerCaseWithUnderscores() throws {
        #expect(try CondaVersion("0.5-5").normalized == "0.5_5")
        #expect(try CondaVersion("  0.4.1.RC  ").normalized == "0.4.1.rc")
        for bad in ["3.5&1", "5.5++", "5.5..mw", "!", "a!b!1.0", "1.2+"] {
            #expect(throws: CondaVersionError.self, "\(bad)") { try CondaVersion(bad) }
        }
    }

    @Test func startsWithCasesFromCondasTests() throws {
        func starts(_ version: String, _ prefix: String) throws -> Bool {
            try CondaVersion(version).starts(with: CondaVersion(prefix))
        }
        #expect(try starts("0.4.1", "0"))
        #expect(try starts("0.4.1", "0.4"))
        #expect(try starts("0.4.1p1", "0.4"))
        #expect(try starts("0.4.1p1", "0.4.1p"))
        #expect(try !starts("0.4.1p1", "0.4.1q1"))
        #expect(try !starts("0.4", "0.4.1"))
        #expect(try starts("0.4.1+1.3", "0.4.1"))
        #expect(try starts("0.4.1+1.3", "0.4.1+1"))
        #expect(try !starts("0.4.1", "0.4.1+1.3"))
        #expect(try !starts("0.4.1+1", "0.4.1+1.3"))
    }
}
