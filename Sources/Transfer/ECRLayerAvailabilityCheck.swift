import AWS
import Logging
import OCI

/// Asks ECR which blobs a repository already holds, with BatchCheckLayerAvailability: up to
/// 100 digests per call instead of one registry HEAD per blob.
///
/// ECR's answer is taken as it is: `AVAILABLE` means held; `UNAVAILABLE` and a
/// `MissingLayerDigest` failure mean not held (the blob is then mounted or uploaded without a
/// HEAD first). Digests it gives no usable answer for (`InvalidLayerDigest`, `ARCHIVED`, left
/// out) are not answered, so the caller checks them one by one.
///
/// The check only saves requests, it never fails a copy: when the endpoint does not implement
/// the action (moto answers an HTML 500, mapped to ``ECRError/unsupportedOperation(action:detail:)``)
/// it stops with a debug message; any other failure stops it with a notice. What was answered
/// until then is returned, and the rest is checked blob by blob.
public struct ECRLayerAvailabilityCheck: Sendable {
    /// The most digests ECR accepts in one BatchCheckLayerAvailability call.
    public static let maxDigestsPerCall = 100

    public let repositoryName: String
    public let registryId: String?
    let api: any LayerAvailabilityAPI
    let logger: Logger

    public init(
        api: any LayerAvailabilityAPI, repositoryName: String, registryId: String? = nil,
        logger: Logger = Logger(label: "smimg.ecr")
    ) {
        self.api = api
        self.repositoryName = repositoryName
        self.registryId = registryId
        self.logger = logger
    }

    /// `true` for blobs ECR holds, `false` for blobs it does not, nothing for the others.
    public func presence(of digests: [Digest]) async throws -> [Digest: Bool] {
        var seen: Set<Digest> = []
        let unique = digests.filter { seen.insert($0).inserted }
        var answer: [Digest: Bool] = [:]
        var start = unique.startIndex
        while start < unique.endIndex {
            let end = min(start + Self.maxDigestsPerCall, unique.endIndex)
            let batch = Array(unique[start..<end])
            start = end
            let output: ECR.BatchCheckLayerAvailabilityOutput
            do {
                output = try await api.batchCheckLayerAvailability(
                    ECR.BatchCheckLayerAvailabilityInput(
                        repositoryName: repositoryName, layerDigests: batch.map(\.description), registryId: registryId))
            } catch is CancellationError {
                throw CancellationError()
            } catch let error as ECRError {
                if case .unsupportedOperation = error {
                    logger.debug("ECR BatchCheckLayerAvailability is not supported by this endpoint; checking blobs one by one")
                } else {
                    logger.notice("\(error); checking the remaining blobs of \(repositoryName) one by one")
                }
                return answer
            } catch {
                logger.notice("ECR BatchCheckLayerAvailability failed: \(error); checking the remaining blobs of \(repositoryName) one by one")
                return answer
            }
            answer.merge(Self.interpret(output, asked: batch)) { _, new in new }
        }
        return answer
    }

    /// What one answer says about the digests asked; anything about other digests is ignored.
    static func interpret(_ output: ECR.BatchCheckLayerAvailabilityOutput, asked: [Digest]) -> [Digest: Bool] {
        let asked = Dictionary(asked.map { ($0.description, $0) }, uniquingKeysWith: { first, _ in first })
        var answer: [Digest: Bool] = [:]
        for failure in output.failures ?? [] {
            guard let text = failure.layerDigest, let digest = asked[text] else { continue }
            if failure.failureCode == "MissingLayerDigest" { answer[digest] = false }
        }
        for layer in output.layers ?? [] {
            guard let text = layer.layerDigest, let digest = asked[text] else { continue }
            switch layer.layerAvailability {
            case .available?: answer[digest] = true
            case .unavailable?: answer[digest] = false
            default: break
            }
        }
        return answer
    }
}
