/// One compatibility tag (PEP 425): `cp311-cp311-manylinux_2_17_x86_64`. A wheel's file name
/// may carry compressed tag sets (`py2.py3-none-any`); each expands to several `WheelTag`s.
public struct WheelTag: Sendable, Hashable, Codable, CustomStringConvertible {
    public var interpreter: String
    public var abi: String
    public var platform: String

    public init(interpreter: String, abi: String, platform: String) {
        self.interpreter = interpreter
        self.abi = abi
        self.platform = platform
    }

    public var description: String { "\(interpreter)-\(abi)-\(platform)" }
}
