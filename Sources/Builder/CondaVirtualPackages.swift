import Conda
import Foundation

/// The virtual packages (`__glibc`, `__linux`, `__unix`, `__archspec`, `__cuda`) describing the
/// image, as conda would report them inside it — read from the image's files, not the build
/// host. `CONDA_OVERRIDE_GLIBC` and `CONDA_OVERRIDE_CUDA` override them as they do for conda.
enum CondaVirtualPackages {
    static func detect(
        in filesystem: ImageFilesystem, platform subdir: String,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> [CondaPackageRecord] {
        func virtual(_ name: String, _ version: String, build: String = "0") -> CondaPackageRecord {
            CondaPackageRecord(name: name, version: version, build: build, buildNumber: 0, subdir: subdir, fn: name, url: "", channel: "@")
        }
        var records = [virtual("__unix", "0"), virtual("__linux", "0")]
        let machine = ["linux-64": "x86_64", "linux-aarch64": "aarch64", "linux-ppc64le": "ppc64le", "linux-s390x": "s390x"][subdir] ?? "x86_64"
        records.append(virtual("__archspec", "1", build: machine))
        if let glibc = environment["CONDA_OVERRIDE_GLIBC"].flatMap({ $0.isEmpty ? nil : $0 }) {
            records.append(virtual("__glibc", glibc))
        } else if case .glibc(let major, let minor) = LibCDetector.detect(in: filesystem) {
            records.append(virtual("__glibc", "\(major).\(minor)"))
        }
        if let cuda = environment["CONDA_OVERRIDE_CUDA"] {
            if !cuda.isEmpty { records.append(virtual("__cuda", cuda)) }
        } else if let cuda = cudaVersion(in: filesystem) {
            records.append(virtual("__cuda", cuda))
        }
        return records
    }

    /// The CUDA toolkit version of `/usr/local/cuda` (`version.json` from CUDA 11.1 on, else
    /// `version.txt`): an image built on a CUDA base runs where that driver is present.
    static func cudaVersion(in filesystem: ImageFilesystem) -> String? {
        if let bytes = try? filesystem.readFile("/usr/local/cuda/version.json", limit: 1 << 20),
           let object = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any],
           let cuda = object["cuda"] as? [String: Any], let version = cuda["version"] as? String {
            return version.split(separator: ".").prefix(2).joined(separator: ".")
        }
        if let bytes = try? filesystem.readFile("/usr/local/cuda/version.txt", limit: 1 << 20) {
            let text = String(decoding: bytes, as: UTF8.self)
            if let range = text.range(of: "CUDA Version ") {
                let version = text[range.upperBound...].prefix { $0.isNumber || $0 == "." }
                return version.split(separator: ".").prefix(2).joined(separator: ".")
            }
        }
        return nil
    }
}
