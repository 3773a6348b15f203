import AWS

/// The one ECR API call a bulk blob check needs: ``ECRClient`` in use, a fake in unit tests.
public protocol LayerAvailabilityAPI: Sendable {
    func batchCheckLayerAvailability(_ input: ECR.BatchCheckLayerAvailabilityInput) async throws
        -> ECR.BatchCheckLayerAvailabilityOutput
}

extension ECRClient: LayerAvailabilityAPI {}
