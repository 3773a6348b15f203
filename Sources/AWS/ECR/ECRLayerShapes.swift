import Foundation

extension ECR {
    public struct BatchCheckLayerAvailabilityInput: Codable, Hashable, Sendable {
        public var registryId: String?
        public var repositoryName: String
        public var layerDigests: [String]

        public init(repositoryName: String, layerDigests: [String], registryId: String? = nil) {
            self.registryId = registryId
            self.repositoryName = repositoryName
            self.layerDigests = layerDigests
        }
    }

    /// `AVAILABLE`, `UNAVAILABLE`, `ARCHIVED`.
    public struct LayerAvailability: RawRepresentable, Codable, Hashable, Sendable {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public static let available = LayerAvailability(rawValue: "AVAILABLE")
        public static let unavailable = LayerAvailability(rawValue: "UNAVAILABLE")
    }

    public struct Layer: Codable, Hashable, Sendable {
        public var layerDigest: String?
        public var layerAvailability: LayerAvailability?
        public var layerSize: Int64?
        public var mediaType: String?
    }

    public struct LayerFailure: Codable, Hashable, Sendable {
        public var layerDigest: String?
        public var failureCode: String?
        public var failureReason: String?
    }

    public struct BatchCheckLayerAvailabilityOutput: Codable, Hashable, Sendable {
        public var layers: [Layer]?
        public var failures: [LayerFailure]?

        /// Digests ECR reports as `AVAILABLE`.
        public var availableDigests: Set<String> {
            Set((layers ?? []).filter { $0.layerAvailability == .available }.compactMap(\.layerDigest))
        }
    }

    public struct InitiateLayerUploadInput: Codable, Hashable, Sendable {
        public var registryId: String?
        public var repositoryName: String

        public init(repositoryName: String, registryId: String? = nil) {
            self.registryId = registryId
            self.repositoryName = repositoryName
        }
    }

    public struct InitiateLayerUploadOutput: Codable, Hashable, Sendable {
        public var uploadId: String?
        /// The part size ECR expects, in bytes.
        public var partSize: Int64?
    }

    /// One part of a layer; `layerPartBlob` is sent base64-encoded (at most 20 MiB per part).
    public struct UploadLayerPartInput: Codable, Hashable, Sendable {
        public var registryId: String?
        public var repositoryName: String
        public var uploadId: String
        public var partFirstByte: Int64
        public var partLastByte: Int64
        public var layerPartBlob: Data

        public init(
            repositoryName: String, uploadId: String, partFirstByte: Int64, partLastByte: Int64, layerPartBlob: Data,
            registryId: String? = nil
        ) {
            self.registryId = registryId
            self.repositoryName = repositoryName
            self.uploadId = uploadId
            self.partFirstByte = partFirstByte
            self.partLastByte = partLastByte
            self.layerPartBlob = layerPartBlob
        }
    }

    public struct UploadLayerPartOutput: Codable, Hashable, Sendable {
        public var registryId: String?
        public var repositoryName: String?
        public var uploadId: String?
        public var lastByteReceived: Int64?
    }

    public struct CompleteLayerUploadInput: Codable, Hashable, Sendable {
        public var registryId: String?
        public var repositoryName: String
        public var uploadId: String
        public var layerDigests: [String]

        public init(repositoryName: String, uploadId: String, layerDigests: [String], registryId: String? = nil) {
            self.registryId = registryId
            self.repositoryName = repositoryName
            self.uploadId = uploadId
            self.layerDigests = layerDigests
        }
    }

    public struct CompleteLayerUploadOutput: Codable, Hashable, Sendable {
        public var registryId: String?
        public var repositoryName: String?
        public var uploadId: String?
        public var layerDigest: String?
    }
}
