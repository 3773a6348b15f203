import Foundation
import Testing

@testable import AWS

/// AWS's published Signature Version 4 test suite (docs.aws.amazon.com/general/latest/gr/
/// signature-v4-test-suite.html, as maintained in awslabs/aws-c-auth
/// tests/aws-signing-test-suite/v4): inputs and expected outputs, as test data.
struct SigV4SuiteTests {
    static let credentials = AWSCredentials(
        accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")
    static let date = ISO8601Timestamp.parse("2015-08-30T12:36:00Z")!
    static let emptyHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    static let scope = "AKIDEXAMPLE/20150830/us-east-1/service/aws4_request"
    static let stsExampleToken =
        "AQoDYXdzEPT//////////wEXAMPLEtc764bNrC9SAPBSM22wDOk4x4HIZ8j4FZTwdQWLWsKWHGBuFqwAeMicRXmxfpSPfIeoIYRqTflfKD8YUuwthAx7mSEI/qkPpKPi/kMcGdQrmGdeehM4IC1NtBmUpp2wUE8phUZampKsburEDy0KPkyQDYwT7WZ0wq5VSXDvp75YU9HFvlRd8Tx6q6fE8YQcHNVXAkiY9q6d+xo0rKwT38xVqr7ZD0u0iPPkUL64lIZbqBAz+scqKmlzm8FDrypNC9Yjc8fPOLn9FX9KSYvKTr4rvx3iSIlTJabIQwj2ICCR/oLxBA=="

    struct Vector: Sendable, CustomTestStringConvertible {
        var name: String
        var method = "GET"
        var path = "/"
        var query: [SigV4Request.QueryParameter] = []
        var headers: [SigV4Request.Header] = []
        var body = ""
        var sessionToken: String?
        var contentSHA256Header = false
        var signedHeaders = "host;x-amz-date"
        var signature: String
        /// Expected canonical request and hash of the string to sign, where the suite gives them.
        var canonicalRequest: String?
        var stringToSignHash: String?

        var testDescription: String { name }

        var request: SigV4Request {
            SigV4Request(
                method: method, path: path, query: query,
                headers: [.init("Host", "example.amazonaws.com")] + headers
                    + [.init("X-Amz-Date", "20150830T123600Z")],
                body: Array(body.utf8))
        }
    }

    static let vectors: [Vector] = [
        Vector(
            name: "get-vanilla",
            signature: "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31",
            canonicalRequest: "GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\n\(emptyHash)",
            stringToSignHash: "bb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63"),
        Vector(
            name: "get-vanilla-query-order-key-case", query: [.init("Param2", "value2"), .init("Param1", "value1")],
            signature: "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500",
            canonicalRequest:
                "GET\n/\nParam1=value1&Param2=value2\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\n\(emptyHash)",
            stringToSignHash: "816cd5b414d056048ba4f7c5386d6e0533120fb1fcfa93762cf0fc39e2cf19e0"),
        Vector(
            name: "get-vanilla-query-order-key", query: [.init("Param1", "value2"), .init("Param1", "Value1")],
            signature: "eedbc4e291e521cf13422ffca22be7d2eb8146eecf653089df300a15b2382bd1",
            stringToSignHash: "704b4cef673542d84cdff252633f065e8daeba5f168b77116f8b1bcaf3d38f89"),
        Vector(
            name: "get-vanilla-utf8-query", query: [.init("ሴ", "bar")],
            signature: "2cdec8eed098649ff3a119c94853b13c643bcf08f8b0a1d91e12c9027818dd04",
            canonicalRequest:
                "GET\n/\n%E1%88%B4=bar\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\n\(emptyHash)",
            stringToSignHash: "eb30c5bed55734080471a834cc727ae56beb50e5f39d1bff6d0d38cb192a7073"),
        Vector(
            name: "get-header-value-trim",
            headers: [.init("My-Header1", " value1"), .init("My-Header2", " \"a   b   c\"")],
            signedHeaders: "host;my-header1;my-header2;x-amz-date",
            signature: "acc3ed3afb60bb290fc8d2dd0098b9911fcaa05412b367055dee359757a9c736",
            canonicalRequest:
                "GET\n/\n\nhost:example.amazonaws.com\nmy-header1:value1\nmy-header2:\"a b c\"\nx-amz-date:20150830T123600Z\n\nhost;my-header1;my-header2;x-amz-date\n\(emptyHash)",
            stringToSignHash: "a726db9b0df21c14f559d0a978e563112acb1b9e05476f0a6a1c7d68f28605c7"),
        Vector(
            name: "get-header-key-duplicate",
            headers: [.init("My-Header1", "value2"), .init("My-Header1", "value2"), .init("My-Header1", "value1")],
            signedHeaders: "host;my-header1;x-amz-date",
            signature: "c9d5ea9f3f72853aea855b47ea873832890dbdd183b4468f858259531a5138ea",
            canonicalRequest:
                "GET\n/\n\nhost:example.amazonaws.com\nmy-header1:value2,value2,value1\nx-amz-date:20150830T123600Z\n\nhost;my-header1;x-amz-date\n\(emptyHash)",
            stringToSignHash: "dc7f04a3abfde8d472b0ab1a418b741b7c67174dad1551b4117b15527fbe966c"),
        Vector(
            name: "get-utf8", path: "/ሴ",
            signature: "8318018e0b0f223aa2bbf98705b62bb787dc9c0e678f255a891fd03141be5d85",
            canonicalRequest:
                "GET\n/%E1%88%B4\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\n\(emptyHash)"),
        Vector(
            name: "get-space", path: "/example space/",
            signature: "652487583200325589f1fba4c7e578f72c47cb61beeca81406b39ddec1366741",
            stringToSignHash: "63ee75631ed7234ae61b5f736dfc7754cdccfedbff4b5128a915706ee9390d86"),
        Vector(
            name: "normalize-path get-relative", path: "/example/..",
            signature: "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"),
        Vector(
            name: "normalize-path get-relative-relative", path: "/example1/example2/../..",
            signature: "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"),
        Vector(
            name: "normalize-path get-slash-dot-slash", path: "/./",
            signature: "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"),
        Vector(
            name: "normalize-path get-slash-pointless-dot", path: "/./example",
            signature: "ef75d96142cf21edca26f06005da7988e4f8dc83a165a80865db7089db637ec5",
            stringToSignHash: "214d50c111a8edc4819da6a636336472c916b5240f51e9a51b5c3305180cf702"),
        Vector(
            name: "normalize-path get-slashes", path: "//example//",
            signature: "9a624bd73a37c9a373b5312afbebe7a714a789de108f0bdfe846570885f57e84",
            stringToSignHash: "cb96b4ac96d501f7c5c15bc6d67b3035061cfced4af6585ad927f7e6c985c015"),
        Vector(
            name: "post-vanilla", method: "POST",
            signature: "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b"),
        Vector(
            name: "post-x-www-form-urlencoded (with x-amz-content-sha256)", method: "POST",
            headers: [.init("Content-Type", "application/x-www-form-urlencoded"), .init("Content-Length", "13")],
            body: "Param1=value1", contentSHA256Header: true,
            signedHeaders: "content-length;content-type;host;x-amz-content-sha256;x-amz-date",
            signature: "d3875051da38690788ef43de4db0d8f280229d82040bfac253562e56c3f20e0b"),
        Vector(
            name: "post-sts-header-before", method: "POST", sessionToken: stsExampleToken,
            signedHeaders: "host;x-amz-date;x-amz-security-token",
            signature: "85d96828115b5dc0cfc3bd16ad9e210dd772bbebba041836c64533a82be05ead",
            stringToSignHash: "c237e1b440d4c63c32ca95b5b99481081cb7b13c7e40434868e71567c1a882f6"),
        Vector(
            name: "get-vanilla-with-session-token",
            sessionToken: "6e86291e8372ff2a2260956d9b8aae1d763fbf315fa00fa31553b73ebf194267",
            signedHeaders: "host;x-amz-date;x-amz-security-token",
            signature: "07ec1639c89043aa0e3e2de82b96708f198cceab042d4a97044c66dd9f74e7f8"),
    ]

    func signer(_ vector: Vector) -> SigV4Signer {
        var credentials = Self.credentials
        credentials.sessionToken = vector.sessionToken
        return SigV4Signer(
            credentials: credentials, region: "us-east-1", service: "service",
            options: .init(addContentSHA256Header: vector.contentSHA256Header))
    }

    @Test("signs the suite request with the expected Authorization header", arguments: vectors)
    func authorizationHeaderMatchesSuite(_ vector: Vector) {
        var request = vector.request
        signer(vector).sign(&request, at: Self.date)
        #expect(
            request.header("Authorization")
                == "AWS4-HMAC-SHA256 Credential=\(Self.scope), SignedHeaders=\(vector.signedHeaders), Signature=\(vector.signature)"
        )
        #expect(request.header("X-Amz-Date") == "20150830T123600Z")
        #expect(request.header("X-Amz-Security-Token") == vector.sessionToken)
    }

    @Test("builds the suite's canonical request and string to sign", arguments: vectors)
    func canonicalRequestAndStringToSignMatchSuite(_ vector: Vector) {
        var request = vector.request
        let signer = signer(vector)
        if let token = vector.sessionToken { request.setHeader("X-Amz-Security-Token", token) }
        if vector.contentSHA256Header { request.setHeader("x-amz-content-sha256", request.payloadSHA256) }
        let canonical = signer.canonicalRequest(for: request)
        if let expected = vector.canonicalRequest {
            #expect(canonical == expected)
        }
        let stringToSign = signer.stringToSign(canonicalRequest: canonical, at: Self.date)
        let lines = stringToSign.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == 4)
        #expect(lines.first == "AWS4-HMAC-SHA256")
        #expect(lines.dropFirst().first == "20150830T123600Z")
        #expect(lines.dropFirst(2).first == "20150830/us-east-1/service/aws4_request")
        if let expected = vector.stringToSignHash {
            #expect(lines.last.map(String.init) == expected)
        }
        #expect(signer.signature(stringToSign: stringToSign, at: Self.date) == vector.signature)
    }

    @Test("presigns get-vanilla-query-order-key-case like the suite's query-signed request")
    func presignedQueryMatchesSuite() {
        let request = SigV4Request(
            method: "GET", query: [.init("Param2", "value2"), .init("Param1", "value1")],
            headers: [.init("Host", "example.amazonaws.com")], payloadSHA256: Self.emptyHash)
        let signer = SigV4Signer(credentials: Self.credentials, region: "us-east-1", service: "service")
        let presigned = signer.presign(request, at: Self.date, expires: 3600)
        #expect(
            presigned.encodedQuery
                == "Param2=value2&Param1=value1&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDEXAMPLE%2F20150830%2Fus-east-1%2Fservice%2Faws4_request&X-Amz-Date=20150830T123600Z&X-Amz-SignedHeaders=host&X-Amz-Expires=3600&X-Amz-Signature=86012e2c9ad4d77369f5d81c11f75158aae4f895a085212cc6d3f923d300bed5"
        )
        #expect(presigned.header("Authorization") == nil)
    }

    @Test("derives the documented signing key for the example secret")
    func signingKeyDerivationMatchesDocumentation() {
        // From "Examples of how to derive a signing key for Signature Version 4" (AWS General
        // Reference): secret wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY, 20120215, us-east-1, iam.
        let signer = SigV4Signer(credentials: Self.credentials, region: "us-east-1", service: "iam")
        let key = signer.signingKey(at: ISO8601Timestamp.parse("2012-02-15T00:00:00Z")!)
        let hex = key.withUnsafeBytes { Hashing.hex($0) }
        #expect(hex == "f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d")
    }
}
