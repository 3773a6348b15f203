import Foundation
import Pip
import Testing

@Suite struct ResolvedWheelTests {
    @Test func roundTripsThroughJSONForTheLockFile() throws {
        let wheel = ResolvedWheel(
            name: "torch", version: "2.1.0+cu118", filename: "torch-2.1.0+cu118-cp310-cp310-linux_x86_64.whl",
            url: "https://download.pytorch.org/whl/cu118/torch-2.1.0%2Bcu118-cp310-cp310-linux_x86_64.whl",
            sha256: String(repeating: "a", count: 64), requested: true, direct: false)
        let decoded = try JSONDecoder().decode(ResolvedWheel.self, from: JSONEncoder().encode(wheel))
        #expect(decoded == wheel)
    }
}
