import Foundation

/// An ECR API failure, typed by the AWS error code (`__type` of the JSON 1.1 error body).
/// Messages say what happened and what to do; they never contain credentials or tokens.
public enum ECRError: Error, CustomStringConvertible, Equatable {
    case repositoryNotFound(action: String, message: String)
    case repositoryAlreadyExists(action: String, message: String)
    case imageNotFound(action: String, message: String)
    /// `AccessDeniedException`: `principal` may not perform `deniedAction` on `resource`
    /// (parsed from AWS's message when it has that shape).
    case accessDenied(action: String, principal: String?, deniedAction: String?, resource: String?, message: String)
    /// The credentials were rejected: unknown key, bad signature, expired token.
    case credentialsRejected(action: String, code: String, message: String)
    /// Still throttled after every retry.
    case throttled(action: String, attempts: Int, message: String)
    /// `InvalidLayerPartException` (UploadLayerPart): the part does not follow the bytes ECR has
    /// (or its range does not match its size). ECR holds the upload's bytes up to and including
    /// `lastValidByteReceived`, so the upload goes on from the byte after it.
    case invalidLayerPart(action: String, lastValidByteReceived: Int64?, message: String)
    /// The endpoint does not implement the action (`UnknownOperationException`, HTTP 501, or
    /// moto's HTML "500 Internal Server Error" for actions it lacks).
    case unsupportedOperation(action: String, detail: String)
    /// Any other error code from ECR (`InvalidParameterException`, `LayersNotFoundException`, …).
    case service(action: String, code: String, status: Int, message: String)
    /// 5xx answers after every retry.
    case serverError(action: String, status: Int, attempts: Int, message: String)
    /// The endpoint could not be reached after every retry.
    case transport(action: String, endpoint: String, attempts: Int, reason: String)
    case invalidResponse(action: String, reason: String)
    case invalidEndpoint(EndpointError)

    /// The AWS error code, when ECR sent one.
    public var code: String? {
        switch self {
        case .repositoryNotFound: return "RepositoryNotFoundException"
        case .repositoryAlreadyExists: return "RepositoryAlreadyExistsException"
        case .imageNotFound: return "ImageNotFoundException"
        case .invalidLayerPart: return "InvalidLayerPartException"
        case .accessDenied: return "AccessDeniedException"
        case .credentialsRejected(_, let code, _): return code
        case .service(_, let code, _, _): return code
        default: return nil
        }
    }

    public var description: String {
        switch self {
        case .repositoryNotFound(let action, let message):
            return "ECR \(action): repository not found: \(message). Create it first (push does so unless --no-create-repo), or check the name, account and region"
        case .repositoryAlreadyExists(let action, let message):
            return "ECR \(action): repository already exists: \(message)"
        case .imageNotFound(let action, let message):
            return "ECR \(action): image not found: \(message)"
        case .accessDenied(let action, let principal, let deniedAction, let resource, let message):
            if let principal, let deniedAction {
                let on = resource.map { " on \($0)" } ?? ""
                return "ECR \(action): access denied: \(principal) may not perform \(deniedAction)\(on). Grant \(deniedAction) to it in IAM (or the repository policy), or use a profile that has it. AWS said: \(message)"
            }
            return "ECR \(action): access denied: \(message). Check the IAM permissions of the credentials in use, or choose another profile"
        case .credentialsRejected(let action, let code, let message):
            return "ECR \(action): the AWS credentials were rejected (\(code): \(message)). Check the access key, secret key and session token, that they belong to this partition (China accounts are separate), and the system clock"
        case .invalidLayerPart(let action, let lastValidByteReceived, let message):
            let resume = lastValidByteReceived.map { "; ECR has the bytes up to \($0): send the part starting at byte \($0 + 1)" } ?? ""
            return "ECR \(action): layer part rejected: \(message)\(resume)"
        case .throttled(let action, let attempts, let message):
            return "ECR \(action): still throttled after \(attempts) attempts (\(message)). Retry later or lower the concurrency"
        case .unsupportedOperation(let action, let detail):
            return "ECR \(action) is not supported by this endpoint (\(detail))"
        case .service(let action, let code, let status, let message):
            return "ECR \(action) failed: \(code) (HTTP \(status)): \(message)"
        case .serverError(let action, let status, let attempts, let message):
            return "ECR \(action): server error HTTP \(status) after \(attempts) attempts: \(message). Retry later"
        case .transport(let action, let endpoint, let attempts, let reason):
            return "ECR \(action): cannot reach \(endpoint) after \(attempts) attempts: \(reason). Check the network, the region and AWS_ENDPOINT_URL_ECR"
        case .invalidResponse(let action, let reason):
            return "ECR \(action): unexpected answer: \(reason)"
        case .invalidEndpoint(let error):
            return error.description
        }
    }

    /// Codes that mean "slow down": retried with backoff.
    static let throttlingCodes: Set<String> = [
        "ThrottlingException", "Throttling", "ThrottledException", "RequestThrottledException", "RequestThrottled",
        "TooManyRequestsException", "RequestLimitExceeded", "ProvisionedThroughputExceededException",
        "BandwidthLimitExceeded", "SlowDown", "PriorRequestNotComplete", "EC2ThrottledException",
    ]

    static let credentialCodes: Set<String> = [
        "UnrecognizedClientException", "InvalidSignatureException", "SignatureDoesNotMatch", "ExpiredTokenException",
        "ExpiredToken", "InvalidClientTokenId", "IncompleteSignature", "MissingAuthenticationToken",
        "MissingAuthenticationTokenException", "AuthFailure", "RequestExpired",
    ]

    static let unsupportedCodes: Set<String> = [
        "UnknownOperationException", "UnsupportedOperation", "UnsupportedOperationException", "InvalidAction",
        "NotImplemented",
    ]

    /// What an error answer means: a typed error, and whether to retry it.
    struct Classification {
        var error: ECRError
        var retryable: Bool
        var throttling: Bool
    }

    /// Maps an HTTP error answer of a JSON 1.1 service to an `ECRError`.
    static func classify(action: String, status: Int, errorTypeHeader: String?, body: [UInt8], attempts: Int)
        -> Classification
    {
        let parsed = AWSJSONError.parse(body: body, errorTypeHeader: errorTypeHeader)
        guard let code = parsed.code else {
            let looksLikeHTML = body.first(where: { $0 != 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0x09 }) == UInt8(ascii: "<")
            if status == 501 || (status == 500 && looksLikeHTML) {
                return Classification(
                    error: .unsupportedOperation(
                        action: action, detail: "HTTP \(status) without an AWS error code; the endpoint does not implement it"),
                    retryable: false, throttling: false)
            }
            let message = parsed.message ?? "no error details"
            if status == 429 {
                return Classification(
                    error: .throttled(action: action, attempts: attempts, message: "HTTP 429"), retryable: true,
                    throttling: true)
            }
            if status >= 500 {
                return Classification(
                    error: .serverError(action: action, status: status, attempts: attempts, message: message),
                    retryable: true, throttling: false)
            }
            return Classification(
                error: .service(action: action, code: "HTTP \(status)", status: status, message: message),
                retryable: false, throttling: false)
        }
        let message = parsed.message ?? code
        if throttlingCodes.contains(code) || status == 429 {
            return Classification(
                error: .throttled(action: action, attempts: attempts, message: "\(code): \(message)"), retryable: true,
                throttling: true)
        }
        if credentialCodes.contains(code) {
            return Classification(
                error: .credentialsRejected(action: action, code: code, message: message), retryable: false,
                throttling: false)
        }
        if unsupportedCodes.contains(code) {
            return Classification(
                error: .unsupportedOperation(action: action, detail: "\(code): \(message)"), retryable: false,
                throttling: false)
        }
        switch code {
        case "RepositoryNotFoundException":
            return .init(error: .repositoryNotFound(action: action, message: message), retryable: false, throttling: false)
        case "RepositoryAlreadyExistsException":
            return .init(error: .repositoryAlreadyExists(action: action, message: message), retryable: false, throttling: false)
        case "ImageNotFoundException":
            return .init(error: .imageNotFound(action: action, message: message), retryable: false, throttling: false)
        case "InvalidLayerPartException":
            return .init(
                error: .invalidLayerPart(action: action, lastValidByteReceived: parsed.lastValidByteReceived, message: message),
                retryable: false, throttling: false)
        case "AccessDeniedException", "AccessDenied":
            let parts = AccessDeniedMessage(message)
            return .init(
                error: .accessDenied(
                    action: action, principal: parts.principal, deniedAction: parts.action, resource: parts.resource,
                    message: message),
                retryable: false, throttling: false)
        case "ServerException", "InternalFailure", "InternalServerError", "ServiceUnavailable",
            "ServiceUnavailableException":
            return .init(
                error: .serverError(action: action, status: status, attempts: attempts, message: "\(code): \(message)"),
                retryable: true, throttling: false)
        default:
            return .init(
                error: .service(action: action, code: code, status: status, message: message),
                retryable: status >= 500, throttling: false)
        }
    }
}

/// The code and message of an AWS JSON error body (`{"__type": "ns#Code", "message": "…"}`),
/// an XML `<Error><Code>…</Code><Message>…</Message>` body, or the `x-amzn-ErrorType` header.
struct AWSJSONError {
    var code: String?
    var message: String?
    var isJSON: Bool
    /// The `lastValidByteReceived` member of an `InvalidLayerPartException`.
    var lastValidByteReceived: Int64?

    static func parse(body: [UInt8], errorTypeHeader: String?) -> AWSJSONError {
        var code: String?
        var message: String?
        var isJSON = false
        var lastValidByteReceived: Int64?
        if let object = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any] {
            isJSON = true
            code = (object["__type"] as? String) ?? (object["code"] as? String) ?? (object["Code"] as? String)
            message = (object["message"] as? String) ?? (object["Message"] as? String)
            lastValidByteReceived = (object["lastValidByteReceived"] as? NSNumber)?.int64Value
        }
        if !isJSON {
            // Some front ends (and moto's signature checks) answer in the query protocol's XML.
            let text = String(decoding: body, as: UTF8.self)
            code = XMLText.firstElement("Code", in: text)
            message = XMLText.firstElement("Message", in: text)
        }
        if code == nil, let header = errorTypeHeader, !header.isEmpty { code = header }
        return AWSJSONError(
            code: code.map(normalize), message: message, isJSON: isJSON, lastValidByteReceived: lastValidByteReceived)
    }

    /// `com.amazonaws.ecr#RepositoryNotFoundException` and `Code:http://…` → `Code`.
    static func normalize(_ code: String) -> String {
        var result = Substring(code)
        if let hash = result.lastIndex(of: "#") { result = result[result.index(after: hash)...] }
        if let colon = result.firstIndex(of: ":") { result = result[..<colon] }
        return String(result)
    }
}

/// The parts of "User: ARN is not authorized to perform: ACTION on resource: ARN because …".
struct AccessDeniedMessage {
    var principal: String?
    var action: String?
    var resource: String?

    init(_ message: String) {
        principal = Self.between(message, "User: ", " is not authorized")
        action = Self.between(message, "to perform: ", " on resource")
            ?? Self.between(message, "to perform: ", " because") ?? Self.after(message, "to perform: ")
        resource = Self.between(message, "on resource: ", " because") ?? Self.after(message, "on resource: ")
    }

    static func between(_ text: String, _ start: String, _ end: String) -> String? {
        guard let lower = text.range(of: start), let upper = text.range(of: end, range: lower.upperBound..<text.endIndex)
        else { return nil }
        let value = text[lower.upperBound..<upper.lowerBound].trimmingCharacters(in: .whitespaces)
        return value.isEmpty ? nil : value
    }

    static func after(_ text: String, _ start: String) -> String? {
        guard let lower = text.range(of: start) else { return nil }
        let value = text[lower.upperBound...].trimmingCharacters(in: .whitespaces)
        guard let word = value.split(separator: " ").first else { return nil }
        return String(word)
    }
}
