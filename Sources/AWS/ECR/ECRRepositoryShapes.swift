import Foundation

/// Namespace for the request and response shapes of the ECR API (JSON 1.1, service version
/// 2015-09-21), named after the API reference. Response fields are optional: ECR (and moto)
/// omit some.
public enum ECR {}

extension ECR {
    /// `MUTABLE`, `IMMUTABLE` (and the newer `*_WITH_EXCLUSION` values).
    public struct ImageTagMutability: RawRepresentable, Codable, Hashable, Sendable {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public static let mutable = ImageTagMutability(rawValue: "MUTABLE")
        public static let immutable = ImageTagMutability(rawValue: "IMMUTABLE")
    }

    /// `AES256`, `KMS`, `KMS_DSSE`.
    public struct EncryptionType: RawRepresentable, Codable, Hashable, Sendable {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public static let aes256 = EncryptionType(rawValue: "AES256")
        public static let kms = EncryptionType(rawValue: "KMS")
        public static let kmsDSSE = EncryptionType(rawValue: "KMS_DSSE")
    }

    public struct EncryptionConfiguration: Codable, Hashable, Sendable {
        public var encryptionType: EncryptionType
        /// KMS key ARN or id (with `KMS` / `KMS_DSSE`; nil uses the AWS managed key).
        public var kmsKey: String?
        public init(encryptionType: EncryptionType, kmsKey: String? = nil) {
            self.encryptionType = encryptionType
            self.kmsKey = kmsKey
        }
    }

    public struct ImageScanningConfiguration: Codable, Hashable, Sendable {
        public var scanOnPush: Bool?
        public init(scanOnPush: Bool) { self.scanOnPush = scanOnPush }
    }

    /// A resource tag (the API spells the members `Key` and `Value`).
    public struct Tag: Codable, Hashable, Sendable {
        public var key: String
        public var value: String
        public init(key: String, value: String) {
            self.key = key
            self.value = value
        }
        enum CodingKeys: String, CodingKey {
            case key = "Key"
            case value = "Value"
        }
    }

    public struct Repository: Codable, Hashable, Sendable {
        public var repositoryArn: String?
        public var registryId: String?
        public var repositoryName: String?
        public var repositoryUri: String?
        public var createdAt: Date?
        public var imageTagMutability: ImageTagMutability?
        public var imageScanningConfiguration: ImageScanningConfiguration?
        public var encryptionConfiguration: EncryptionConfiguration?
    }

    public struct CreateRepositoryInput: Codable, Hashable, Sendable {
        public var registryId: String?
        public var repositoryName: String
        public var tags: [Tag]?
        public var imageTagMutability: ImageTagMutability?
        public var imageScanningConfiguration: ImageScanningConfiguration?
        public var encryptionConfiguration: EncryptionConfiguration?

        public init(
            repositoryName: String, registryId: String? = nil, tags: [Tag]? = nil,
            imageTagMutability: ImageTagMutability? = nil, scanOnPush: Bool? = nil,
            encryptionConfiguration: EncryptionConfiguration? = nil
        ) {
            self.registryId = registryId
            self.repositoryName = repositoryName
            self.tags = tags
            self.imageTagMutability = imageTagMutability
            self.imageScanningConfiguration = scanOnPush.map { ImageScanningConfiguration(scanOnPush: $0) }
            self.encryptionConfiguration = encryptionConfiguration
        }
    }

    public struct CreateRepositoryOutput: Codable, Hashable, Sendable {
        public var repository: Repository?
    }

    public struct DescribeRepositoriesInput: Codable, Hashable, Sendable {
        public var registryId: String?
        public var repositoryNames: [String]?
        public var nextToken: String?
        public var maxResults: Int?

        public init(registryId: String? = nil, repositoryNames: [String]? = nil, nextToken: String? = nil, maxResults: Int? = nil) {
            self.registryId = registryId
            self.repositoryNames = repositoryNames
            self.nextToken = nextToken
            self.maxResults = maxResults
        }
    }

    public struct DescribeRepositoriesOutput: Codable, Hashable, Sendable {
        public var repositories: [Repository]?
        public var nextToken: String?
    }
}
