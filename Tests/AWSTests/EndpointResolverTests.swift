import Foundation
import Testing

@testable import AWS

struct EndpointResolverTests {
    @Test("without overrides, endpoints come from the region's partition")
    func defaultEndpoints() throws {
        let resolver = AWSEndpointResolver(environment: [:])
        #expect(try resolver.ecrEndpoint(region: "cn-northwest-1").absoluteString == "https://api.ecr.cn-northwest-1.amazonaws.com.cn")
        #expect(try resolver.stsEndpoint(region: "eu-west-1").absoluteString == "https://sts.eu-west-1.amazonaws.com")
    }

    @Test("AWS_ENDPOINT_URL_ECR wins over AWS_ENDPOINT_URL, which applies to other services")
    func serviceOverrideWinsOverGlobal() throws {
        let resolver = AWSEndpointResolver(environment: [
            "AWS_ENDPOINT_URL_ECR": "http://127.0.0.1:4566", "AWS_ENDPOINT_URL": "http://127.0.0.1:9999",
        ])
        #expect(try resolver.ecrEndpoint(region: "cn-north-1").absoluteString == "http://127.0.0.1:4566")
        #expect(try resolver.stsEndpoint(region: "cn-north-1").absoluteString == "http://127.0.0.1:9999")
        let sts = AWSEndpointResolver(environment: ["AWS_ENDPOINT_URL_STS": "http://127.0.0.1:7777"])
        #expect(try sts.stsEndpoint(region: "us-east-1").absoluteString == "http://127.0.0.1:7777")
        #expect(try sts.ecrEndpoint(region: "us-east-1").absoluteString == "https://api.ecr.us-east-1.amazonaws.com")
    }

    @Test("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true turns overrides off")
    func overridesCanBeIgnored() throws {
        let resolver = AWSEndpointResolver(environment: [
            "AWS_ENDPOINT_URL_ECR": "http://127.0.0.1:4566", "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS": "true",
        ])
        #expect(try resolver.ecrEndpoint(region: "us-east-1").absoluteString == "https://api.ecr.us-east-1.amazonaws.com")
    }

    @Test("a malformed override or region is a clear error")
    func malformedOverrideIsAnError() {
        #expect(throws: EndpointError.invalidOverride(variable: "AWS_ENDPOINT_URL_ECR", value: "not a url")) {
            try AWSEndpointResolver(environment: ["AWS_ENDPOINT_URL_ECR": "not a url"]).ecrEndpoint(region: "us-east-1")
        }
        #expect(throws: EndpointError.invalidRegion("us east")) {
            try AWSEndpointResolver(environment: [:]).ecrEndpoint(region: "us east")
        }
    }
}
