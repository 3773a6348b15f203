import Foundation

extension ECR {
    /// An image by digest and/or tag.
    public struct ImageIdentifier: Codable, Hashable, Sendable {
        public var imageDigest: String?
        public var imageTag: String?
        public init(imageDigest: String? = nil, imageTag: String? = nil) {
            self.imageDigest = imageDigest
            self.imageTag = imageTag
        }
        public static func digest(_ digest: String) -> ImageIdentifier { ImageIdentifier(imageDigest: digest) }
        public static func tag(_ tag: String) -> ImageIdentifier { ImageIdentifier(imageTag: tag) }
    }

    /// `TAGGED`, `UNTAGGED`, `ANY`.
    public struct TagStatus: RawRepresentable, Codable, Hashable, Sendable {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public static let tagged = TagStatus(rawValue: "TAGGED")
        public static let untagged = TagStatus(rawValue: "UNTAGGED")
        public static let any = TagStatus(rawValue: "ANY")
    }

    public struct DescribeImagesFilter: Codable, Hashable, Sendable {
        public var tagStatus: TagStatus?
        public init(tagStatus: TagStatus?) { self.tagStatus = tagStatus }
    }

    public struct DescribeImagesInput: Codable, Hashable, Sendable {
        public var registryId: String?
        public var repositoryName: String
        public var imageIds: [ImageIdentifier]?
        public var nextToken: String?
        public var maxResults: Int?
        public var filter: DescribeImagesFilter?

        public init(
            repositoryName: String, registryId: String? = nil, imageIds: [ImageIdentifier]? = nil,
            nextToken: String? = nil, maxResults: Int? = nil, filter: DescribeImagesFilter? = nil
        ) {
            self.registryId = registryId
            self.repositoryName = repositoryName
            self.imageIds = imageIds
            self.nextToken = nextToken
            self.maxResults = maxResults
            self.filter = filter
        }
    }

    public struct ImageDetail: Codable, Hashable, Sendable {
        public var registryId: String?
        public var repositoryName: String?
        public var imageDigest: String?
        public var imageTags: [String]?
        public var imageSizeInBytes: Int64?
        public var imagePushedAt: Date?
        public var imageManifestMediaType: String?
        public var artifactMediaType: String?
    }

    public struct DescribeImagesOutput: Codable, Hashable, Sendable {
        public var imageDetails: [ImageDetail]?
        public var nextToken: String?
    }

    public struct ImageFailure: Codable, Hashable, Sendable {
        public var imageId: ImageIdentifier?
        public var failureCode: String?
        public var failureReason: String?
    }

    public struct BatchDeleteImageInput: Codable, Hashable, Sendable {
        public var registryId: String?
        public var repositoryName: String
        public var imageIds: [ImageIdentifier]

        public init(repositoryName: String, imageIds: [ImageIdentifier], registryId: String? = nil) {
            self.registryId = registryId
            self.repositoryName = repositoryName
            self.imageIds = imageIds
        }
    }

    public struct BatchDeleteImageOutput: Codable, Hashable, Sendable {
        public var imageIds: [ImageIdentifier]?
        public var failures: [ImageFailure]?
    }

    public struct PutImageInput: Codable, Hashable, Sendable {
        public var registryId: String?
        public var repositoryName: String
        /// The manifest JSON, exactly as its digest was computed.
        public var imageManifest: String
        public var imageManifestMediaType: String?
        public var imageTag: String?
        public var imageDigest: String?

        public init(
            repositoryName: String, imageManifest: String, imageManifestMediaType: String? = nil,
            imageTag: String? = nil, imageDigest: String? = nil, registryId: String? = nil
        ) {
            self.registryId = registryId
            self.repositoryName = repositoryName
            self.imageManifest = imageManifest
            self.imageManifestMediaType = imageManifestMediaType
            self.imageTag = imageTag
            self.imageDigest = imageDigest
        }
    }

    public struct Image: Codable, Hashable, Sendable {
        public var registryId: String?
        public var repositoryName: String?
        public var imageId: ImageIdentifier?
        public var imageManifest: String?
        public var imageManifestMediaType: String?
    }

    public struct PutImageOutput: Codable, Hashable, Sendable {
        public var image: Image?
    }
}
