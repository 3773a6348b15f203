import AWS
import Foundation
import OCI
import Testing
@testable import Transfer

/// ECR's bulk blob check: batches of at most 100 digests, how ECR's answers are read, and the
/// silent fallback when the endpoint does not implement the action.
@Suite("ECR layer availability check")
struct ECRLayerAvailabilityCheckTests {
    static func digests(_ count: Int, salt: String = "") -> [Digest] {
        (0..<count).map { DigestHasher.digest(of: Data("\(salt)blob-\($0)".utf8)) }
    }

    @Test("250 digests are asked in 3 calls of 100, 100 and 50, each digest once, for the repository and registry")
    func batchesOfAHundred() async throws {
        let digests = Self.digests(250)
        let held = Set(digests.enumerated().filter { $0.offset % 3 == 0 }.map(\.element.description))
        let api = FakeLayerAvailabilityAPI(held: held)
        let check = ECRLayerAvailabilityCheck(api: api, repositoryName: "team/app", registryId: "123456789012")
        let answer = try await check.presence(of: digests)
        let calls = await api.calls
        #expect(calls.map(\.layerDigests.count) == [100, 100, 50])
        #expect(calls.flatMap(\.layerDigests) == digests.map(\.description))
        #expect(calls.allSatisfy { $0.repositoryName == "team/app" && $0.registryId == "123456789012" })
        #expect(answer.count == 250)
        for digest in digests {
            #expect(answer[digest] == held.contains(digest.description))
        }
    }

    @Test("repeated digests are asked once: 150 digests naming 100 blobs take one call")
    func duplicatesAskedOnce() async throws {
        let digests = Self.digests(100)
        let api = FakeLayerAvailabilityAPI(held: [])
        let answer = try await ECRLayerAvailabilityCheck(api: api, repositoryName: "r").presence(of: digests + digests.prefix(50))
        #expect(await api.calls.count == 1)
        #expect(await api.calls.first?.layerDigests.count == 100)
        #expect(answer.count == 100 && answer.values.allSatisfy { !$0 })
    }

    @Test("no blobs, no call")
    func nothingToAsk() async throws {
        let api = FakeLayerAvailabilityAPI(held: [])
        let answer = try await ECRLayerAvailabilityCheck(api: api, repositoryName: "r").presence(of: [])
        #expect(answer.isEmpty)
        #expect(await api.calls.isEmpty)
    }

    @Test("AVAILABLE is held; UNAVAILABLE and MissingLayerDigest are not; InvalidLayerDigest, ARCHIVED and silence are left to a HEAD")
    func readsECRAnswers() throws {
        let d = Self.digests(7)
        let output = try FakeLayerAvailabilityAPI.decode([
            "layers": [
                ["layerDigest": d[0].description, "layerAvailability": "AVAILABLE", "layerSize": 10],
                ["layerDigest": d[1].description, "layerAvailability": "UNAVAILABLE"],
                ["layerDigest": d[4].description, "layerAvailability": "ARCHIVED"],
                ["layerDigest": Self.digests(1, salt: "not asked")[0].description, "layerAvailability": "AVAILABLE"],
            ],
            "failures": [
                ["layerDigest": d[2].description, "failureCode": "MissingLayerDigest", "failureReason": "Could not find layer"],
                ["layerDigest": d[3].description, "failureCode": "InvalidLayerDigest", "failureReason": "Invalid layer digest"],
            ],
        ])
        let answer = ECRLayerAvailabilityCheck.interpret(output, asked: Array(d.prefix(6)))
        #expect(answer == [d[0]: true, d[1]: false, d[2]: false])
    }

    @Test("an endpoint without BatchCheckLayerAvailability (moto) is asked once, and the answer is empty, not an error")
    func unsupportedFallsBack() async throws {
        let api = FakeLayerAvailabilityAPI(
            held: [], failures: [0: ECRError.unsupportedOperation(action: "BatchCheckLayerAvailability", detail: "HTTP 500")])
        let answer = try await ECRLayerAvailabilityCheck(api: api, repositoryName: "r").presence(of: Self.digests(250))
        #expect(answer.isEmpty)
        #expect(await api.calls.count == 1)
    }

    @Test("a failure after the first batch keeps what ECR already answered and stops asking")
    func failureKeepsEarlierAnswers() async throws {
        let digests = Self.digests(250)
        let api = FakeLayerAvailabilityAPI(
            held: Set(digests.prefix(10).map(\.description)),
            failures: [1: ECRError.throttled(action: "BatchCheckLayerAvailability", attempts: 4, message: "Rate exceeded")])
        let answer = try await ECRLayerAvailabilityCheck(api: api, repositoryName: "r").presence(of: digests)
        #expect(await api.calls.count == 2)
        #expect(answer.count == 100)
        #expect(digests.prefix(10).allSatisfy { answer[$0] == true })
        #expect(digests[10..<100].allSatisfy { answer[$0] == false })
        #expect(digests[100...].allSatisfy { answer[$0] == nil })
    }

    @Test("cancellation is not swallowed by the fallback")
    func cancellationPropagates() async throws {
        let api = FakeLayerAvailabilityAPI(held: [], failures: [0: CancellationError()])
        await #expect(throws: CancellationError.self) {
            _ = try await ECRLayerAvailabilityCheck(api: api, repositoryName: "r").presence(of: Self.digests(3))
        }
    }
}
