import Foundation

/// `scripts/ecr-double.py` in front of the harness's moto and "ECR" registry, started for one
/// test on a free loopback port and stopped after it: answers BatchCheckLayerAvailability and
/// the layer-upload actions from the registry, proxies every other ECR action to moto.
public final class ECRDouble: @unchecked Sendable {
    /// Which of the harness's two ECR stand-ins the double fronts.
    public enum Side: Sendable {
        /// moto and the "ECR" registry, account 123456789012.
        case global
        /// moto-cn and the "ECR-CN" registry, account 210987654321.
        case china
    }

    private let service: LoopbackService
    /// `127.0.0.1:PORT`.
    public var address: String { service.address }

    /// The endpoint to give clients (`AWS_ENDPOINT_URL_ECR`, or a profile's `endpoint_url`).
    public var endpoint: String { "http://\(address)" }

    /// Starts the double with `--mode MODE` (`full`, `unsupported-batch-check`,
    /// `unsupported-layer-upload`) and waits for its address; `extra` are more arguments
    /// (`--min-part-size N`, `--require-access-key KEY`, `--part-delay S`, ...).
    public init(mode: String = "full", side: Side = .global, extra: [String] = []) throws {
        let arguments: [String]
        switch side {
        case .global:
            arguments = [
                "--upstream", try Harness.require("SMIMG_TEST_MOTO"),
                "--registry", try Harness.require("SMIMG_TEST_ECR_REGISTRY"),
                "--registry-user", Harness.value("SMIMG_TEST_ECR_USER") ?? "AWS",
                "--registry-password", try Harness.require("SMIMG_TEST_ECR_PASSWORD"),
            ]
        case .china:
            arguments = [
                "--upstream", try Harness.require("SMIMG_TEST_MOTO_CN"),
                "--registry", try Harness.require("SMIMG_TEST_ECR_CN_REGISTRY"),
                "--registry-user", "AWS",
                "--registry-password", try Harness.require("SMIMG_TEST_ECR_CN_PASSWORD"),
                "--account", try Harness.require("SMIMG_TEST_ECR_CN_ACCOUNT"),
            ]
        }
        service = try LoopbackService(script: "ecr-double.py", arguments: arguments + ["--mode", mode] + extra)
    }

    /// The double's `/_double/stats` JSON.
    public func stats() throws -> [String: Any] { try service.json("/_double/stats") }

    /// How many requests for an ECR action (`BatchCheckLayerAvailability`, ...) it received.
    public func calls(_ action: String) throws -> Int {
        let actions = try stats()["actions"] as? [String: Any] ?? [:]
        return (actions[action] as? NSNumber)?.intValue ?? 0
    }

    /// A counter of its stats (`registry_heads`, `checked_digests`, `open_uploads`, ...).
    public func counter(_ name: String) throws -> Int {
        (try stats()[name] as? NSNumber)?.intValue ?? 0
    }

    public func stop() { service.stop() }
}
