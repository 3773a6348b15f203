import Foundation
import Testing

@testable import AWS

/// Request bodies as the ECR API reference writes them (member names, nesting, `Key`/`Value`
/// tags, base64 blobs, omitted optionals), and answers decoded from its documented shapes.
struct ECRShapesEncodingTests {
    func json(_ value: some Encodable) throws -> String {
        String(decoding: try ECRClient.encoder.encode(value), as: UTF8.self)
    }

    @Test("CreateRepository carries scan-on-push, tag mutability, encryption and tags")
    func createRepositoryEncoding() throws {
        let input = ECR.CreateRepositoryInput(
            repositoryName: "team/app", tags: [ECR.Tag(key: "owner", value: "ml")], imageTagMutability: .immutable,
            scanOnPush: true,
            encryptionConfiguration: .init(encryptionType: .kms, kmsKey: "arn:aws-cn:kms:cn-north-1:123456789012:key/k"))
        #expect(
            try json(input)
                == #"{"encryptionConfiguration":{"encryptionType":"KMS","kmsKey":"arn:aws-cn:kms:cn-north-1:123456789012:key/k"},"imageScanningConfiguration":{"scanOnPush":true},"imageTagMutability":"IMMUTABLE","repositoryName":"team/app","tags":[{"Key":"owner","Value":"ml"}]}"#
        )
        #expect(try json(ECR.CreateRepositoryInput(repositoryName: "plain")) == #"{"repositoryName":"plain"}"#)
    }

    @Test("image, layer and authorization requests encode their documented members")
    func otherRequestEncodings() throws {
        #expect(try json(ECR.GetAuthorizationTokenInput()) == "{}")
        #expect(
            try json(ECR.DescribeRepositoriesInput(repositoryNames: ["a"], maxResults: 100))
                == #"{"maxResults":100,"repositoryNames":["a"]}"#)
        #expect(
            try json(ECR.DescribeImagesInput(repositoryName: "r", imageIds: [.tag("v1")], filter: .init(tagStatus: .tagged)))
                == #"{"filter":{"tagStatus":"TAGGED"},"imageIds":[{"imageTag":"v1"}],"repositoryName":"r"}"#)
        #expect(
            try json(ECR.BatchDeleteImageInput(repositoryName: "r", imageIds: [.digest("sha256:ab"), .tag("old")]))
                == #"{"imageIds":[{"imageDigest":"sha256:ab"},{"imageTag":"old"}],"repositoryName":"r"}"#)
        #expect(
            try json(ECR.BatchCheckLayerAvailabilityInput(repositoryName: "r", layerDigests: ["sha256:01"], registryId: "123456789012"))
                == #"{"layerDigests":["sha256:01"],"registryId":"123456789012","repositoryName":"r"}"#)
        #expect(try json(ECR.InitiateLayerUploadInput(repositoryName: "r")) == #"{"repositoryName":"r"}"#)
        #expect(
            try json(ECR.UploadLayerPartInput(repositoryName: "r", uploadId: "u", partFirstByte: 0, partLastByte: 4, layerPartBlob: Data("hello".utf8)))
                == #"{"layerPartBlob":"aGVsbG8=","partFirstByte":0,"partLastByte":4,"repositoryName":"r","uploadId":"u"}"#)
        #expect(
            try json(ECR.CompleteLayerUploadInput(repositoryName: "r", uploadId: "u", layerDigests: ["sha256:01"]))
                == #"{"layerDigests":["sha256:01"],"repositoryName":"r","uploadId":"u"}"#)
        #expect(
            try json(ECR.PutImageInput(repositoryName: "r", imageManifest: #"{"schemaVersion":2}"#, imageManifestMediaType: "application/vnd.oci.image.manifest.v1+json", imageTag: "v1"))
                == #"{"imageManifest":"{\"schemaVersion\":2}","imageManifestMediaType":"application/vnd.oci.image.manifest.v1+json","imageTag":"v1","repositoryName":"r"}"#)
    }

    @Test("answers decode with epoch-second timestamps and unknown enum values")
    func responseDecoding() throws {
        let repositories = try ECRClient.decoder.decode(
            ECR.DescribeRepositoriesOutput.self,
            from: Data(
                #"{"repositories":[{"repositoryArn":"arn:aws-cn:ecr:cn-north-1:123456789012:repository/a","registryId":"123456789012","repositoryName":"a","repositoryUri":"123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn/a","createdAt":1.7e9,"imageTagMutability":"IMMUTABLE_WITH_EXCLUSION","imageScanningConfiguration":{"scanOnPush":false},"encryptionConfiguration":{"encryptionType":"AES256"}}]}"#
                    .utf8))
        let repository = try #require(repositories.repositories?.first)
        #expect(repository.createdAt == Date(timeIntervalSince1970: 1.7e9))
        #expect(repository.imageTagMutability?.rawValue == "IMMUTABLE_WITH_EXCLUSION")
        #expect(repository.encryptionConfiguration?.encryptionType == .aes256)

        let layers = try ECRClient.decoder.decode(
            ECR.BatchCheckLayerAvailabilityOutput.self,
            from: Data(
                #"{"layers":[{"layerDigest":"sha256:01","layerAvailability":"AVAILABLE","layerSize":5},{"layerDigest":"sha256:02","layerAvailability":"UNAVAILABLE"}],"failures":[{"layerDigest":"sha256:03","failureCode":"MissingLayerDigest","failureReason":"x"}]}"#
                    .utf8))
        #expect(layers.availableDigests == ["sha256:01"])
        #expect(layers.failures?.first?.failureCode == "MissingLayerDigest")

        let upload = try ECRClient.decoder.decode(
            ECR.InitiateLayerUploadOutput.self, from: Data(#"{"uploadId":"u-1","partSize":10485760}"#.utf8))
        #expect(upload.partSize == 10_485_760)
    }

    @Test("the authorization token decodes to AWS / password; a past expiry means one hour from the fetch")
    func authorizationTokenDecoding() throws {
        let output = try ECRClient.decoder.decode(
            ECR.GetAuthorizationTokenOutput.self,
            from: Data(
                #"{"authorizationData":[{"authorizationToken":"QVdTOjEyMzQ1Njc4OTAxMi1hdXRoLXRva2Vu","expiresAt":1420070400.0,"proxyEndpoint":"https://123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn"}]}"#
                    .utf8))
        let data = try #require(output.authorizationData?.first)
        let fetchedAt = Date(timeIntervalSince1970: 1_800_000_000)
        let token = try ECRAuthorizationToken(authorizationData: data, fetchedAt: fetchedAt)
        #expect(token.username == "AWS")
        #expect(token.password == "123456789012-auth-token")
        #expect(token.expiresAt == ISO8601Timestamp.parse("2015-01-01T00:00:00Z"))
        #expect(token.validUntil == fetchedAt.addingTimeInterval(3600))

        var future = data
        future.expiresAt = fetchedAt.addingTimeInterval(12 * 3600)
        #expect(try ECRAuthorizationToken(authorizationData: future, fetchedAt: fetchedAt).validUntil == future.expiresAt)

        var garbage = data
        garbage.authorizationToken = "not base64!"
        #expect(throws: ECRError.self) { try ECRAuthorizationToken(authorizationData: garbage, fetchedAt: fetchedAt) }
    }
}
