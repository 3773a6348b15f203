/// `expose:` ports the image documents as listening: `80`, `"8080/tcp"`, `53/udp`.
public struct ExposeStep: Sendable, Hashable {
    public var ports: [ExposedPort]

    public init(ports: [ExposedPort]) {
        self.ports = ports
    }
}

/// A port and its protocol; `description` is the configuration's key form, `80/tcp`.
public struct ExposedPort: Sendable, Hashable, CustomStringConvertible {
    public enum Transport: String, Sendable, Hashable, CaseIterable {
        case tcp, udp, sctp
    }

    public var port: UInt16
    public var transport: Transport

    public init(port: UInt16, transport: Transport = .tcp) {
        self.port = port
        self.transport = transport
    }

    public var description: String { "\(port)/\(transport.rawValue)" }
}

extension ExposeStep: CanonicallyEncodable {
    var canonical: CanonicalValue { .strings(ports.map(\.description)) }
}

extension ExposeStep {
    static let expected = "a port like 80, \"8080/tcp\" or \"53/udp\""

    static func parse(_ field: Field, in context: RecipeParseContext) -> ExposeStep? {
        guard let items = field.items(in: context, expected: "\(expected), or a list of them") else { return nil }
        var ports: [ExposedPort] = []
        var valid = true
        for item in items {
            guard let port = parsePort(item, in: context) else {
                valid = false
                continue
            }
            if ports.contains(port) {
                context.report(item, "\(port) is listed twice")
                valid = false
            }
            ports.append(port)
        }
        if valid, ports.isEmpty {
            context.report(field, "lists no ports")
            return nil
        }
        return valid ? ExposeStep(ports: ports) : nil
    }

    private static func parsePort(_ field: Field, in context: RecipeParseContext) -> ExposedPort? {
        guard let text = field.nonEmptyString(in: context, expected: expected) else { return nil }
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), let number = UInt16(parts[0]), number > 0 else {
            context.report(field, "invalid port \(Quoted.text(text)): expected a number from 1 to 65535, optionally followed by /tcp, /udp or /sctp")
            return nil
        }
        guard parts.count == 2 else { return ExposedPort(port: number) }
        let protocolName = String(parts[1])
        guard let transport = ExposedPort.Transport(rawValue: protocolName.lowercased()) else {
            context.report(
                field, "invalid port \(Quoted.text(text)): unknown protocol \(Quoted.text(protocolName))",
                suggestion: "the protocol is tcp, udp or sctp")
            return nil
        }
        return ExposedPort(port: number, transport: transport)
    }
}
