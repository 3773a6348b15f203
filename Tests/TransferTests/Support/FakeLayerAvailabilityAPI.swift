import AWS
import Foundation
import Transfer

/// Answers BatchCheckLayerAvailability like ECR (as JSON, decoded like ECR's answers) from a set
/// of digests it "holds", and records every call; `failures[i]` makes call `i` (0-based) throw;
/// digests in `unanswered` are left out of the answer.
actor FakeLayerAvailabilityAPI: LayerAvailabilityAPI {
    private(set) var calls: [ECR.BatchCheckLayerAvailabilityInput] = []
    let held: Set<String>
    let unanswered: Set<String>
    let failures: [Int: any Error]

    init(held: Set<String>, unanswered: Set<String> = [], failures: [Int: any Error] = [:]) {
        self.held = held
        self.unanswered = unanswered
        self.failures = failures
    }

    func batchCheckLayerAvailability(_ input: ECR.BatchCheckLayerAvailabilityInput) async throws
        -> ECR.BatchCheckLayerAvailabilityOutput
    {
        let index = calls.count
        calls.append(input)
        if let failure = failures[index] { throw failure }
        var layers: [[String: Any]] = []
        var failures: [[String: Any]] = []
        for digest in input.layerDigests where !unanswered.contains(digest) {
            if held.contains(digest) {
                layers.append(["layerDigest": digest, "layerAvailability": "AVAILABLE", "layerSize": 1])
            } else {
                failures.append(["layerDigest": digest, "failureCode": "MissingLayerDigest", "failureReason": "Could not find layer"])
            }
        }
        return try Self.decode(["layers": layers, "failures": failures])
    }

    /// An answer as ECR would send it, decoded.
    static func decode(_ json: [String: Any]) throws -> ECR.BatchCheckLayerAvailabilityOutput {
        try JSONDecoder().decode(ECR.BatchCheckLayerAvailabilityOutput.self, from: JSONSerialization.data(withJSONObject: json))
    }
}
