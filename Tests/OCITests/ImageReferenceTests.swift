import OCI
import Testing

@Suite("Image references")
struct ImageReferenceTests {
    @Test("a bare name is a Docker Hub library image at latest")
    func bareNameDefaultsToDockerHubLibrary() throws {
        let reference = try ImageReference(parsing: "python")
        #expect(reference.registry == "docker.io")
        #expect(reference.repository == "library/python")
        #expect(reference.tag == nil)
        #expect(reference.identifier == "latest")
    }

    @Test("a two-component Hub name keeps its namespace")
    func hubNamespaceKept() throws {
        let reference = try ImageReference(parsing: "pytorch/pytorch:2.1.0-cuda11.8")
        #expect(reference.registry == "docker.io")
        #expect(reference.repository == "pytorch/pytorch")
        #expect(reference.tag == "2.1.0-cuda11.8")
    }

    @Test("a host with a port is a registry, and the port is not a tag")
    func registryPortIsNotATag() throws {
        let reference = try ImageReference(parsing: "127.0.0.1:5000/team/app")
        #expect(reference.registry == "127.0.0.1:5000")
        #expect(reference.repository == "team/app")
        #expect(reference.tag == nil)
        let tagged = try ImageReference(parsing: "localhost:5000/app:1.0")
        #expect(tagged.registry == "localhost:5000")
        #expect(tagged.tag == "1.0")
    }

    @Test("ECR references parse into registry, repository and tag")
    func ecrReference() throws {
        let reference = try ImageReference(parsing: "763104351884.dkr.ecr.us-east-1.amazonaws.com/pytorch-training:2.1.0-gpu-py310-cu121-ubuntu20.04-sagemaker")
        #expect(reference.registry == "763104351884.dkr.ecr.us-east-1.amazonaws.com")
        #expect(reference.repository == "pytorch-training")
        #expect(reference.tag == "2.1.0-gpu-py310-cu121-ubuntu20.04-sagemaker")
    }

    @Test("name:tag@digest keeps both, and the digest is what is fetched")
    func tagAndDigest() throws {
        let digest = "sha256:" + String(repeating: "a", count: 64)
        let reference = try ImageReference(parsing: "quay.io/org/img:v1@\(digest)")
        #expect(reference.tag == "v1")
        #expect(reference.digest?.description == digest)
        #expect(reference.identifier == digest)
        #expect(reference.description == "quay.io/org/img:v1@\(digest)")
    }

    @Test("index.docker.io is normalised to docker.io", arguments: ["index.docker.io/library/alpine", "docker.io/alpine"])
    func dockerHubAliases(text: String) throws {
        let reference = try ImageReference(parsing: text)
        #expect(reference.name == "docker.io/library/alpine")
    }

    @Test("bad references are rejected with a reason", arguments: [
        "", "upper/Case", "repo:", "repo:-bad", "repo@sha256:123", "host:99999/x", "a//b", "-leading/x",
        "repo:" + String(repeating: "t", count: 129), "repo@md5:" + String(repeating: "0", count: 32),
    ])
    func badReferencesRejected(text: String) {
        #expect(throws: ReferenceError.self) { try ImageReference(parsing: text) }
    }

    @Test("the error for an uppercase repository says names must be lowercase")
    func uppercaseErrorIsClear() {
        do {
            _ = try ImageReference(parsing: "myRepo/app")
            Issue.record("expected an error")
        } catch {
            #expect(error.description.contains("lowercase"))
        }
    }

    @Test("separators inside components follow the grammar", arguments: ["a.b", "a_b", "a__b", "a-b", "a---b"])
    func separators(component: String) throws {
        #expect(try ImageReference(parsing: "r.io/\(component)").repository == component)
    }

    @Test("invalid separators are refused", arguments: ["a..b", "a___b", "a-", "_a", "a.-b"])
    func invalidSeparators(component: String) {
        #expect(throws: ReferenceError.self) { try ImageReference(parsing: "r.io/\(component)") }
    }
}
