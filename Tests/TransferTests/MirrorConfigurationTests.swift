import OCI
import Testing
@testable import Transfer

@Suite("Mirror configuration")
struct MirrorConfigurationTests {
    static let valid = """
        source:
          registry: 763104351884.dkr.ecr.us-east-1.amazonaws.com
          profile: global
        destination:
          registry: 210987654321.dkr.ecr.cn-northwest-1.amazonaws.com.cn
          profile: china
          prefix: mirror/
        images:
          - repository: pytorch-training
            tags: [2.1.0-gpu-py310-cu118-ubuntu20.04-sagemaker]
          - repository: pytorch-inference
            to: dlc/inference
            semver: '>=2.1, <2.3'
            latest: 2
            platform: linux/amd64
        """

    @Test("a full configuration reads with sides, mapping and selections")
    func readsFullConfiguration() throws {
        let configuration = try MirrorConfiguration.parse(Self.valid)
        #expect(configuration.source.profile == "global")
        #expect(configuration.destination.prefix == "mirror/")
        #expect(configuration.images.count == 2)
        #expect(configuration.destinationRepository(for: configuration.images[0]) == "mirror/pytorch-training")
        #expect(configuration.destinationRepository(for: configuration.images[1]) == "dlc/inference")
        #expect(configuration.images[1].selection.latest == 2)
        #expect(configuration.images[1].platform == Platform(os: "linux", architecture: "amd64"))
    }

    @Test("an unknown key names the file, line and field, and suggests the right one")
    func unknownKey() {
        let text = Self.valid.replacingOccurrences(of: "    latest: 2", with: "    lastest: 2")
        #expect {
            try MirrorConfiguration.parse(text, file: "m.yml")
        } throws: { error in
            let message = String(describing: error)
            return message.hasPrefix("m.yml:14:") && message.contains("images[1].lastest")
                && message.contains("did you mean 'latest'")
        }
    }

    @Test("wrong values are located: a bad range, a non-number, a repository path as registry")
    func wrongValues() {
        let badRange = Self.valid.replacingOccurrences(of: "'>=2.1, <2.3'", with: "'>=two'")
        #expect { try MirrorConfiguration.parse(badRange, file: "m.yml") } throws: { error in
            String(describing: error).contains("m.yml:13:") && String(describing: error).contains("images[1].semver")
        }
        let badLatest = Self.valid.replacingOccurrences(of: "latest: 2", with: "latest: many")
        #expect { try MirrorConfiguration.parse(badLatest, file: "m.yml") } throws: { error in
            String(describing: error).contains("images[1].latest: must be a whole number")
        }
        let path = Self.valid.replacingOccurrences(
            of: "registry: 763104351884.dkr.ecr.us-east-1.amazonaws.com", with: "registry: host/repo")
        #expect { try MirrorConfiguration.parse(path, file: "m.yml") } throws: { error in
            String(describing: error).contains("source.registry: is a host only")
        }
    }

    @Test("missing sections and empty selections are errors")
    func missingParts() {
        #expect(throws: MirrorConfigurationError.self) { try MirrorConfiguration.parse("source: {registry: a}\nimages: []\n") }
        let noTags = """
            source: {registry: a.example}
            destination: {registry: b.example}
            images:
              - repository: x
            """
        #expect { try MirrorConfiguration.parse(noTags, file: "m.yml") } throws: { error in
            String(describing: error).contains("say which tags to copy")
        }
    }

    @Test("a single-image destination without a tag takes the source's tag")
    func singleJobTakesSourceTag() throws {
        let job = MirrorJob.single(
            source: try ImageReference(parsing: "a.example/x:1.0"), destination: try ImageReference(parsing: "b.example/y"))
        #expect(job.destination.description == "b.example/y:1.0")
        let pinned = MirrorJob.single(
            source: try ImageReference(parsing: "a.example/x:1.0"), destination: try ImageReference(parsing: "b.example/y:2.0"))
        #expect(pinned.destination.tag == "2.0")
    }
}
