import Foundation
import Testing

@testable import AWS

struct ECRErrorMappingTests {
    func classify(_ status: Int, _ body: String, header: String? = nil) -> ECRError.Classification {
        ECRError.classify(action: "CreateRepository", status: status, errorTypeHeader: header, body: Array(body.utf8), attempts: 1)
    }

    @Test("repository not found, with or without a namespace in __type")
    func repositoryNotFound() {
        for type in ["RepositoryNotFoundException", "com.amazonaws.ecr#RepositoryNotFoundException"] {
            let result = classify(400, #"{"__type":"\#(type)","message":"The repository with name 'x' does not exist"}"#)
            #expect(result.error == .repositoryNotFound(action: "CreateRepository", message: "The repository with name 'x' does not exist"))
            #expect(!result.retryable)
        }
    }

    @Test("access denied shows the principal, the denied action and the resource")
    func accessDeniedIsExplained() {
        let message =
            "User: arn:aws-cn:iam::123456789012:user/ci is not authorized to perform: ecr:CreateRepository on resource: arn:aws-cn:ecr:cn-north-1:123456789012:repository/app because no identity-based policy allows the ecr:CreateRepository action"
        let result = classify(400, #"{"__type":"AccessDeniedException","message":"\#(message)"}"#)
        guard case .accessDenied(_, let principal, let action, let resource, _) = result.error else {
            Issue.record("expected access denied, got \(result.error)")
            return
        }
        #expect(principal == "arn:aws-cn:iam::123456789012:user/ci")
        #expect(action == "ecr:CreateRepository")
        #expect(resource == "arn:aws-cn:ecr:cn-north-1:123456789012:repository/app")
        #expect(result.error.description.contains("arn:aws-cn:iam::123456789012:user/ci may not perform ecr:CreateRepository on arn:aws-cn:ecr:cn-north-1:123456789012:repository/app"))
    }

    @Test("throttling and 5xx are retryable; client errors are not")
    func retryability() {
        #expect(classify(400, #"{"__type":"ThrottlingException","message":"Rate exceeded"}"#).throttling)
        #expect(classify(400, #"{"__type":"ThrottlingException","message":"Rate exceeded"}"#).retryable)
        #expect(classify(429, "").retryable)
        #expect(classify(500, #"{"__type":"ServerException","message":"oops"}"#).retryable)
        #expect(classify(503, "").retryable)
        #expect(!classify(400, #"{"__type":"InvalidParameterException","message":"bad"}"#).retryable)
        #expect(classify(400, #"{"__type":"InvalidParameterException","message":"bad"}"#).error.code == "InvalidParameterException")
    }

    @Test("unknown operations are reported as unsupported: AWS's code, HTTP 501 and moto's HTML 500")
    func unsupportedOperations() {
        let moto = "<!doctype html>\n<html lang=en>\n<title>500 Internal Server Error</title>"
        for result in [
            classify(400, #"{"__type":"UnknownOperationException"}"#), classify(501, ""), classify(500, moto),
        ] {
            guard case .unsupportedOperation = result.error else {
                Issue.record("expected unsupported, got \(result.error)")
                continue
            }
            #expect(!result.retryable)
        }
    }

    @Test("rejected credentials are recognised from JSON, XML and the error-type header")
    func rejectedCredentials() {
        let xml = #"<?xml version="1.0" encoding="utf-8"?><ErrorResponse><Errors><Error><Code>SignatureDoesNotMatch</Code><Message>The request signature we calculated does not match</Message></Error></Errors></ErrorResponse>"#
        #expect(classify(403, xml).error.code == "SignatureDoesNotMatch")
        #expect(classify(400, #"{"__type":"UnrecognizedClientException","message":"The security token included in the request is invalid."}"#).error.code == "UnrecognizedClientException")
        #expect(classify(403, "", header: "ExpiredTokenException:http://internal.amazon.com/").error.code == "ExpiredTokenException")
        guard case .credentialsRejected = classify(403, xml).error else {
            Issue.record("expected credentialsRejected")
            return
        }
    }
}
