import Foundation
import Testing

@testable import AWS

struct ConfigFileTests {
    @Test("parses sections, lowercases keys, skips comments and keeps indented sub-settings")
    func parsesTheSharedFileDialect() throws {
        let text = """
            # a comment
            [default]
            region = us-west-2
            AWS_Access_Key_ID=AKIDDEFAULT
            ; another comment

            [profile dev]\r
            role_arn = arn:aws:iam::123456789012:role/dev\r
            s3 =
              max_concurrent_requests = 20
              addressing_style=path
            output=json
            """
        let file = try AWSConfigFile(parsing: text, path: "config")
        #expect(file.sections.map(\.name) == ["default", "profile dev"])
        #expect(file.values(ofSection: "default") == ["region": "us-west-2", "aws_access_key_id": "AKIDDEFAULT"])
        let dev = try #require(file.values(ofSection: "profile dev"))
        #expect(dev["role_arn"] == "arn:aws:iam::123456789012:role/dev")
        #expect(dev["s3.max_concurrent_requests"] == "20")
        #expect(dev["s3.addressing_style"] == "path")
        #expect(dev["output"] == "json")
    }

    @Test("a malformed line is reported by number, never by content")
    func malformedLineNamesLineNotContent() {
        let text = "[default]\naws_secret_access_key = ok\nSECRETVALUEWITHOUTEQUALS\n"
        do {
            _ = try AWSConfigFile(parsing: text, path: "/tmp/credentials")
            Issue.record("parsing should have failed")
        } catch {
            #expect(error == .invalidConfigFile(path: "/tmp/credentials", line: 3, reason: "expected `key = value`"))
            #expect(!error.description.contains("SECRETVALUE"))
        }
    }

    @Test("profiles are [profile x] in config and [x] in credentials; the credentials file wins")
    func profileSectionNamesAndPrecedence() throws {
        let files = try SharedFiles(
            config: """
                [default]
                region = eu-west-1
                [profile dev]
                region = cn-north-1
                aws_access_key_id = AKIDFROMCONFIG
                aws_secret_access_key = secretFromConfig
                [ops]
                region = us-east-2
                """,
            credentials: """
                [dev]
                aws_access_key_id = AKIDFROMCREDENTIALS
                aws_secret_access_key = secretFromCredentials
                [profile weird]
                aws_access_key_id = AKIDWEIRD
                aws_secret_access_key = weird
                """)
        defer { files.remove() }
        let configuration = try SharedConfiguration.load(environment: files.environment())
        let dev = try #require(configuration.profile(named: "dev"))
        #expect(dev.region == "cn-north-1")
        #expect(dev["aws_access_key_id"] == "AKIDFROMCREDENTIALS")
        #expect(dev.staticCredentials(fromCredentialsFile: false)?.accessKeyId == "AKIDFROMCONFIG")
        #expect(configuration.profile(named: "default")?.region == "eu-west-1")
        // `[ops]` in the config file is not a profile; `[profile weird]` in the credentials file is
        // the profile literally named "profile weird".
        #expect(configuration.profile(named: "ops") == nil)
        #expect(configuration.profile(named: "weird") == nil)
        #expect(configuration.profile(named: "profile weird")?["aws_access_key_id"] == "AKIDWEIRD")
        #expect(!dev.description.contains("secretFrom"))
    }

    @Test("file paths follow AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE and HOME")
    func filePathsFollowEnvironment() {
        #expect(SharedConfiguration.path(nil, default: "~/.aws/config", environment: ["HOME": "/home/u"]) == "/home/u/.aws/config")
        #expect(SharedConfiguration.path("/etc/aws/config", default: "~/.aws/config", environment: ["HOME": "/home/u"]) == "/etc/aws/config")
        #expect(SharedConfiguration.path("~/custom", default: "~/.aws/config", environment: ["HOME": "/root"]) == "/root/custom")
    }

    @Test("the region comes from AWS_REGION, then AWS_DEFAULT_REGION, then the profile")
    func regionResolutionOrder() throws {
        let files = try SharedFiles(config: "[default]\nregion = eu-west-1\n[profile china]\nregion = cn-northwest-1\n")
        defer { files.remove() }
        #expect(try RegionResolver.resolve(environment: files.environment()) == "eu-west-1")
        #expect(try RegionResolver.resolve(profile: "china", environment: files.environment()) == "cn-northwest-1")
        #expect(try RegionResolver.resolve(environment: files.environment(["AWS_PROFILE": "china"])) == "cn-northwest-1")
        #expect(try RegionResolver.resolve(environment: files.environment(["AWS_DEFAULT_REGION": "us-east-2"])) == "us-east-2")
        #expect(
            try RegionResolver.resolve(
                profile: "china", environment: files.environment(["AWS_DEFAULT_REGION": "us-east-2", "AWS_REGION": "ap-south-1"]))
                == "ap-south-1")
    }
}
