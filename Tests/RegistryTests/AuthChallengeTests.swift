@testable import Registry
import Testing

@Suite("Auth challenges")
struct AuthChallengeTests {
    @Test("a bearer challenge yields realm, service and scope")
    func bearer() throws {
        let challenge = try #require(AuthChallenge(header: #"Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/python:pull""#))
        #expect(challenge.scheme == .bearer)
        #expect(challenge.realm == "https://auth.docker.io/token")
        #expect(challenge.service == "registry.docker.io")
        #expect(challenge.scope == "repository:library/python:pull")
    }

    @Test("quoted values may hold commas and escaped quotes")
    func quotedCommas() throws {
        let challenge = try #require(AuthChallenge(header: #"Bearer realm="https://a/t",scope="repository:x:pull,push",error="say \"no\"""#))
        #expect(challenge.scope == "repository:x:pull,push")
        #expect(challenge.parameters["error"] == #"say "no""#)
    }

    @Test("a Basic challenge is recognised whatever its case")
    func basic() throws {
        let challenge = try #require(AuthChallenge(header: #"basic realm="Registry Realm""#))
        #expect(challenge.scheme == .basic)
        #expect(challenge.realm == "Registry Realm")
    }

    @Test("schemes smimg does not speak are ignored")
    func unknownScheme() {
        #expect(AuthChallenge(header: "Negotiate abc") == nil)
    }
}

@Suite("Registry protocol details")
struct RegistryProtocolTests {
    @Test("the next page comes from the Link header")
    func linkHeader() {
        #expect(RegistryClient.nextLink(#"</v2/x/tags/list?last=b&n=2>; rel="next""#) == "/v2/x/tags/list?last=b&n=2")
        #expect(RegistryClient.nextLink(#"</a>; rel="prev", </b>; rel="next""#) == "/b")
        #expect(RegistryClient.nextLink(#"</a>; rel="prev""#) == nil)
    }

    @Test("Content-Type parameters are dropped from media types")
    func contentType() {
        #expect(RegistryClient.mediaType("application/vnd.oci.image.index.v1+json; charset=utf-8") == "application/vnd.oci.image.index.v1+json")
    }

    @Test("log lines never show query strings, which may carry signed credentials")
    func redactedURL() {
        #expect(RegistryTransport.redacted("https://bucket.s3.amazonaws.com/blob?X-Amz-Signature=secret") == "https://bucket.s3.amazonaws.com/blob?…")
        #expect(!RegistryTransport.redacted("https://h/p?token=abc").contains("abc"))
    }

    @Test("relative Locations resolve against the request URL")
    func relativeLocation() {
        #expect(RegistryTransport.resolve("/v2/x/blobs/uploads/u?_state=s", against: "http://127.0.0.1:5000/v2/x/blobs/uploads/")
            == "http://127.0.0.1:5000/v2/x/blobs/uploads/u?_state=s")
        #expect(RegistryTransport.resolve("https://other:9/p", against: "http://127.0.0.1:5000/v2/") == "https://other:9/p")
    }

    @Test("host comparison for redirects includes the port")
    func hostAndPort() {
        #expect(RegistryTransport.hostAndPort(of: "http://127.0.0.1:5000/v2/") == "127.0.0.1:5000")
        #expect(RegistryTransport.hostAndPort(of: "http://127.0.0.1:5001/v2/") != "127.0.0.1:5000")
        #expect(RegistryTransport.hostAndPort(of: "https://registry-1.docker.io/v2/") == "registry-1.docker.io")
    }
}

@Suite("Registry settings")
struct RegistrySettingsTests {
    @Test("loopback registries may speak plain HTTP; other hosts only when marked insecure")
    func plainHTTPRules() {
        var configuration = RegistryConfiguration()
        #expect(configuration.allowsPlainHTTP("localhost:5000"))
        #expect(configuration.allowsPlainHTTP("127.0.0.1:5000"))
        #expect(configuration.allowsPlainHTTP("127.3.2.1"))
        #expect(!configuration.allowsPlainHTTP("registry.example.com"))
        #expect(!configuration.allowsPlainHTTP("128.0.0.1:5000"))
        configuration.markInsecure("registry.example.com")
        #expect(configuration.allowsPlainHTTP("registry.example.com"))
    }

    @Test("a registry mapped to a loopback location may use plain HTTP there")
    func mappedLocation() {
        let configuration = RegistryConfiguration(registries: [
            RegistrySettings(prefix: "123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn", location: "127.0.0.1:5002"),
        ])
        #expect(configuration.allowsPlainHTTP("123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn"))
        #expect(!configuration.allowsPlainHTTP("123456789012.dkr.ecr.us-east-1.amazonaws.com"))
    }

    @Test("the YAML file is read with prefix, location, insecure and ca_file")
    func yamlFile() throws {
        let path = "/tmp/smimg-registries-\(UInt32.random(in: 0...UInt32.max)).yml"
        try """
        registries:
          - prefix: localhost:5443
            ca_file: /tmp/ca.crt
          - prefix: example.com
            location: 127.0.0.1:5002
            insecure: true
        """.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let configuration = try RegistryConfiguration.load(path: path)
        #expect(configuration.settings(for: "localhost:5443").caFile == "/tmp/ca.crt")
        #expect(configuration.settings(for: "example.com").location == "127.0.0.1:5002")
        #expect(configuration.settings(for: "example.com").insecure)
        #expect(configuration.settings(for: "other").insecure == false)
    }

    @Test("an unknown key's file error names the file")
    func badYAML() throws {
        let path = "/tmp/smimg-registries-bad-\(UInt32.random(in: 0...UInt32.max)).yml"
        try "registries: 5".write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        do {
            _ = try RegistryConfiguration.load(path: path)
            Issue.record("expected an error")
        } catch {
            #expect(String(describing: error).contains(path))
        }
    }
}

import Foundation
