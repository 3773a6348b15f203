import Foundation
import Testing
import TestSupport

/// `smimg resolve --check` against a local registry standing in for the DLC account's.
@Suite("resolve --check", .enabled(if: Harness.isUp))
struct ResolveCheckTests {
    static let host = "763104351884.dkr.ecr.us-east-1.amazonaws.com"

    static func setUp() async throws -> (TemporaryDirectory, [String]) {
        let directory = try TemporaryDirectory("resolve")
        let registry = try Harness.registry()
        for tag in [
            "2.1.0-gpu-py310-cu118-ubuntu20.04-sagemaker", "2.1.0-gpu-py39-cu118-ubuntu20.04-sagemaker",
            "2.0.1-gpu-py310-cu118-ubuntu20.04-sagemaker", "1.13.1-cpu-py39-ubuntu20.04-sagemaker",
        ] {
            try await Command.check([
                "skopeo", "copy", "--src-tls-verify=false", "--dest-tls-verify=false",
                "docker://\(registry)/fixtures/multilayer:v1", "docker://\(registry)/pytorch-training:\(tag)",
            ])
        }
        let config = directory.appending("registries.yml").path
        try "registries:\n  - prefix: \(host)\n    location: \(registry)\n".write(toFile: config, atomically: true, encoding: .utf8)
        let arguments = ["--region", "us-east-1", "--registries-config", config, "--check"]
        return (directory, arguments)
    }

    static let environment = ["AWS_ACCESS_KEY_ID": "AKIAEXAMPLE", "AWS_SECRET_ACCESS_KEY": "x", "AWS_EC2_METADATA_DISABLED": "true"]

    @Test("a tag the registry has: the URI, exit 0")
    func existingTag() async throws {
        let (directory, arguments) = try await Self.setUp()
        defer { directory.remove() }
        let result = try await Command.smimg(
            ["resolve", "pytorch-training", "--version", "2.1", "--gpu", "--python", "py310", "--cuda", "cu118", "--os", "ubuntu20.04"]
                + arguments, environment: Self.environment)
        #expect(result.status == 0, "\(result.output)")
        #expect(result.stdout == "\(Self.host)/pytorch-training:2.1.0-gpu-py310-cu118-ubuntu20.04-sagemaker\n")
    }

    @Test("a tag the registry lacks: exit 3 and the nearest existing tags, nearest first")
    func missingTagListsNearest() async throws {
        let (directory, arguments) = try await Self.setUp()
        defer { directory.remove() }
        let result = try await Command.smimg(
            ["resolve", "pytorch-training", "--version", "2.1", "--gpu", "--python", "py310"] + arguments,
            environment: Self.environment)
        #expect(result.status == 3, "\(result.output)")
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains("2.1.0-gpu-py310-cu121-ubuntu20.04-sagemaker does not exist"))
        #expect(result.stderr.contains("nearest existing tags: 2.1.0-gpu-py310-cu118-ubuntu20.04-sagemaker, "))
        let json = try await Command.smimg(
            ["resolve", "pytorch-training", "--version", "2.1", "--gpu", "--python", "py310", "--json"] + arguments,
            environment: Self.environment)
        #expect(json.status == 3)
        let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any] ?? [:]
        let check = object["check"] as? [String: Any] ?? [:]
        #expect(check["exists"] as? Bool == false)
        #expect((check["nearest"] as? [String])?.first == "2.1.0-gpu-py310-cu118-ubuntu20.04-sagemaker")
    }
}
