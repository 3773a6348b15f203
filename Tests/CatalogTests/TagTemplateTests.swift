import Testing
@testable import Catalog

@Suite("Tag templates")
struct TagTemplateTests {
    @Test func optionalGroupIsWrittenOnlyWithAllItsValues() throws {
        let template = try TagTemplate("{version}-{processor}[-{cuda}]-{os}[-{suffix}]")
        #expect(try template.render(["version": "2.1.0", "processor": "gpu", "cuda": "cu121", "os": "ubuntu20.04", "suffix": "ec2"])
            == "2.1.0-gpu-cu121-ubuntu20.04-ec2")
        #expect(try template.render(["version": "2.1.0", "processor": "cpu", "os": "ubuntu20.04", "suffix": ""])
            == "2.1.0-cpu-ubuntu20.04")
        #expect(template.placeholders == ["version", "processor", "cuda", "os", "suffix"])
        #expect(template.requiredPlaceholders == ["version", "processor", "os"])
    }

    @Test func missingRequiredValueIsNamed() throws {
        let template = try TagTemplate("{version}-sdk{sdk}")
        #expect(throws: TagTemplateError.missingValue(template: "{version}-sdk{sdk}", placeholder: "sdk")) {
            try template.render(["version": "2.8.0"])
        }
    }

    @Test func malformedTemplatesAreRejected() {
        for text in ["{version", "version}", "[-{cuda}", "-{cuda}]", "[[x]]", "{}", "{a-b}"] {
            #expect(throws: TagTemplateError.self, "\(text)") { try TagTemplate(text) }
        }
    }
}
