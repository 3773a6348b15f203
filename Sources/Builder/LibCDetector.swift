import Foundation
import Python

/// The C library of an image, from its files: glibc's version from `libc.so.6` (the
/// `libc-2.NN.so` it links to on older releases, else the "release version 2.NN" string inside
/// it), musl from its dynamic loader. Wheels' manylinux/musllinux tags and conda's `__glibc`
/// depend on it.
enum LibCDetector {
    static let glibcLocations = [
        "/lib/x86_64-linux-gnu/libc.so.6", "/lib/aarch64-linux-gnu/libc.so.6", "/usr/lib/x86_64-linux-gnu/libc.so.6",
        "/usr/lib/aarch64-linux-gnu/libc.so.6", "/lib64/libc.so.6", "/usr/lib64/libc.so.6", "/lib/libc.so.6", "/usr/lib/libc.so.6",
    ]

    static func detect(in filesystem: ImageFilesystem) -> PythonTarget.LibC {
        for location in glibcLocations {
            guard let resolved = filesystem.resolve(location), filesystem.entry(resolved)?.kind == .regular else { continue }
            if let version = versionFromName((resolved as NSString).lastPathComponent) { return version }
            if let version = try? versionInside(resolved, filesystem: filesystem) { return version }
        }
        for loader in filesystem.glob("/lib/ld-musl-*.so.1") where filesystem.exists(loader) {
            return .musl(major: 1, minor: 2)
        }
        return .unknown
    }

    /// `libc-2.31.so` → glibc 2.31.
    static func versionFromName(_ name: String) -> PythonTarget.LibC? {
        guard name.hasPrefix("libc-"), name.hasSuffix(".so") else { return nil }
        return parse(name.dropFirst(5).dropLast(3))
    }

    /// Scans the library for "release version 2.NN".
    static func versionInside(_ path: String, filesystem: ImageFilesystem) throws -> PythonTarget.LibC? {
        let marker = Array("release version ".utf8)
        var found: PythonTarget.LibC?
        var carry: [UInt8] = []
        try filesystem.streamFile(path) { chunk in
            guard found == nil else { return }
            let bytes = carry + Array(chunk)
            var start = 0
            while let range = bytes[start...].firstRange(of: marker) {
                let rest = bytes[range.upperBound...].prefix { ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2E }
                if let version = parse(Substring(String(decoding: rest, as: UTF8.self)).trimmingSuffix(".")) {
                    found = version
                    return
                }
                start = range.upperBound
            }
            carry = Array(bytes.suffix(marker.count + 8))
        }
        return found
    }

    static func parse(_ text: Substring) -> PythonTarget.LibC? {
        let parts = text.split(separator: ".").compactMap { Int($0) }
        guard parts.count >= 2, parts[0] == 2 else { return nil }
        return .glibc(major: parts[0], minor: parts[1])
    }
}

extension Substring {
    fileprivate func trimmingSuffix(_ suffix: String) -> Substring {
        hasSuffix(suffix) ? dropLast(suffix.count) : self
    }
}
