import Testing
@testable import Transfer

@Suite("Mirror tag selection")
struct TagSelectionTests {
    static let dlcTags = [
        "1.13.1-gpu-py39-cu117-ubuntu20.04-sagemaker", "2.0.1-gpu-py310-cu118-ubuntu20.04-sagemaker",
        "2.1.0-gpu-py310-cu118-ubuntu20.04-sagemaker", "2.1.0-cpu-py310-ubuntu20.04-sagemaker",
        "2.1.2-gpu-py310-cu121-ubuntu20.04-sagemaker", "2.2.0-gpu-py310-cu121-ubuntu20.04-sagemaker",
        "2.3.0-gpu-py311-cu121-ubuntu20.04-sagemaker", "latest", "v2.10.0",
    ]

    @Test("a tag's leading version orders numerically, not as text")
    func tagVersionOrdersNumerically() {
        #expect(TagVersion(tag: "2.10.0-gpu")! > TagVersion(tag: "2.9.1-gpu")!)
        #expect(TagVersion(tag: "v1.25-alpine")!.components == [1, 25])
        #expect(TagVersion(tag: "2.1") == TagVersion(tag: "2.1.0"))
        #expect(TagVersion(tag: "latest") == nil)
    }

    @Test("version ranges: comparators, wildcards, alternatives")
    func versionRanges() throws {
        let range = try VersionRange(parsing: ">=2.1, <2.3")
        #expect(range.contains(TagVersion(components: [2, 1, 0])))
        #expect(range.contains(TagVersion(components: [2, 2, 9])))
        #expect(!range.contains(TagVersion(components: [2, 3, 0])))
        #expect(!range.contains(TagVersion(components: [2, 0, 1])))
        let wildcard = try VersionRange(parsing: "2.1.x || 1.13.*")
        #expect(wildcard.contains(TagVersion(components: [2, 1, 2])))
        #expect(wildcard.contains(TagVersion(components: [1, 13, 1])))
        #expect(!wildcard.contains(TagVersion(components: [2, 2, 0])))
        #expect(try VersionRange(parsing: "^2.1").contains(TagVersion(components: [2, 9])))
        #expect(try !VersionRange(parsing: "^2.1").contains(TagVersion(components: [3, 0])))
        #expect(try VersionRange(parsing: "> 2.2").contains(TagVersion(components: [2, 3, 0])))
        #expect(try VersionRange(parsing: "2.1.0").contains(TagVersion(components: [2, 1])))
    }

    @Test("a malformed range is refused with what to write instead")
    func malformedRange() {
        #expect(throws: MirrorConfigurationError.self) { try VersionRange(parsing: ">=two") }
        #expect(throws: MirrorConfigurationError.self) { try VersionRange(parsing: ">= ") }
        do {
            _ = try VersionRange(parsing: "<")
        } catch {
            #expect(error.description.contains("'>=2.1, <2.3'"))
        }
    }

    @Test("semver and regex filter the tag list; latest keeps the newest N by version")
    func filtersAndLatest() throws {
        let selection = try TagSelection(
            pattern: "-gpu-.*-sagemaker$", range: try VersionRange(parsing: ">=2.0, <2.3"), latest: 2)
        #expect(selection.select(from: Self.dlcTags) == [
            "2.2.0-gpu-py310-cu121-ubuntu20.04-sagemaker", "2.1.2-gpu-py310-cu121-ubuntu20.04-sagemaker",
        ])
    }

    @Test("named tags come first and are not read from the tag list")
    func namedTags() throws {
        let named = try TagSelection(tags: ["2.1.0-cpu-py310-ubuntu20.04-sagemaker", "not-listed"])
        #expect(!named.needsTagList)
        #expect(named.select(from: []) == ["2.1.0-cpu-py310-ubuntu20.04-sagemaker", "not-listed"])
        let both = try TagSelection(tags: ["latest"], latest: 1)
        #expect(both.select(from: Self.dlcTags) == ["latest", "v2.10.0"])
    }

    @Test("a selection that names nothing is an error")
    func emptySelection() {
        #expect(throws: MirrorConfigurationError.self) { try TagSelection() }
        #expect(throws: MirrorConfigurationError.self) { try TagSelection(latest: 0) }
        #expect(throws: MirrorConfigurationError.self) { try TagSelection(pattern: "(") }
    }
}
