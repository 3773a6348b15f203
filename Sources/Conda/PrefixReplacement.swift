import Foundation

/// Rewrites the build-time prefix placeholder inside a package file to the real prefix, the way
/// conda does when linking (`conda/core/portability.py`). Works on bytes in memory.
///
/// - Text mode: every occurrence is replaced; the length may change. (Conda's extra shebang
///   rewriting for long or spaced prefixes is not done here.)
/// - Binary mode: for each occurrence of the placeholder followed by non-NUL bytes up to a NUL,
///   every occurrence inside that C string is replaced and the string is padded with NULs so
///   the file keeps its length. A placeholder with no NUL after it is left alone.
public enum PrefixReplacement {
    public static func replacing(
        _ bytes: [UInt8], mode: PathEntry.FileMode, placeholder: String, prefix: String
    ) throws(PrefixReplacementError) -> [UInt8] {
        switch mode {
        case .text: return try replacingText(bytes, placeholder: placeholder, prefix: prefix)
        case .binary: return try replacingBinary(bytes, placeholder: placeholder, prefix: prefix)
        }
    }

    public static func replacing(
        _ data: Data, mode: PathEntry.FileMode, placeholder: String, prefix: String
    ) throws(PrefixReplacementError) -> Data {
        Data(try replacing([UInt8](data), mode: mode, placeholder: placeholder, prefix: prefix))
    }

    /// Replaces every occurrence of `placeholder` with `prefix` (UTF-8).
    public static func replacingText(_ bytes: [UInt8], placeholder: String, prefix: String) throws(PrefixReplacementError)
        -> [UInt8]
    {
        let needle = Array(placeholder.utf8)
        guard !needle.isEmpty else { throw .emptyPlaceholder }
        return replaceAll(needle, with: Array(prefix.utf8), in: bytes, range: 0..<bytes.count)
    }

    /// Replaces the placeholder inside NUL-terminated strings, keeping each string's byte length;
    /// throws ``PrefixReplacementError/prefixLongerThanPlaceholder(prefix:placeholder:)`` when the
    /// prefix does not fit.
    public static func replacingBinary(_ bytes: [UInt8], placeholder: String, prefix: String)
        throws(PrefixReplacementError) -> [UInt8]
    {
        let needle = Array(placeholder.utf8)
        let replacement = Array(prefix.utf8)
        guard !needle.isEmpty else { throw .emptyPlaceholder }
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        var position = 0
        while let start = firstIndex(of: needle, in: bytes, from: position) {
            guard let end = bytes[(start + needle.count)...].firstIndex(of: 0) else { break }
            guard replacement.count <= needle.count else {
                throw .prefixLongerThanPlaceholder(prefix: prefix, placeholder: placeholder)
            }
            output += bytes[position..<start]
            let occurrences = count(needle, in: bytes, range: start..<end)
            output += replaceAll(needle, with: replacement, in: bytes, range: start..<end)
            output.append(0)
            output += repeatElement(0, count: (needle.count - replacement.count) * occurrences)
            position = end + 1
        }
        output += bytes[position...]
        return output
    }

    /// The first `needle` starting in `from..<end` and ending by `end`.
    static func firstIndex(of needle: [UInt8], in bytes: [UInt8], from: Int, end: Int? = nil) -> Int? {
        let end = end ?? bytes.count
        guard let first = needle.first, needle.count <= end - from else { return nil }
        var index = from
        while index + needle.count <= end {
            if bytes[index] == first {
                var offset = 1
                while offset < needle.count, bytes[index + offset] == needle[offset] { offset += 1 }
                if offset == needle.count { return index }
            }
            index += 1
        }
        return nil
    }

    /// Non-overlapping occurrences in `range`, left to right.
    static func count(_ needle: [UInt8], in bytes: [UInt8], range: Range<Int>) -> Int {
        var total = 0
        var position = range.lowerBound
        while let found = firstIndex(of: needle, in: bytes, from: position, end: range.upperBound) {
            total += 1
            position = found + needle.count
        }
        return total
    }

    static func replaceAll(_ needle: [UInt8], with replacement: [UInt8], in bytes: [UInt8], range: Range<Int>) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(range.count)
        var position = range.lowerBound
        while let found = firstIndex(of: needle, in: bytes, from: position, end: range.upperBound) {
            output += bytes[position..<found]
            output += replacement
            position = found + needle.count
        }
        output += bytes[position..<range.upperBound]
        return output
    }
}

/// Why a placeholder could not be replaced.
public enum PrefixReplacementError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Binary files keep their length, so the prefix must not be longer than the placeholder.
    case prefixLongerThanPlaceholder(prefix: String, placeholder: String)
    case emptyPlaceholder

    public var description: String {
        switch self {
        case .prefixLongerThanPlaceholder(let prefix, let placeholder):
            return "the prefix \(prefix) (\(prefix.utf8.count) bytes) is longer than the placeholder \(placeholder) "
                + "(\(placeholder.utf8.count) bytes) in a binary file; use a shorter prefix"
        case .emptyPlaceholder:
            return "the prefix placeholder is empty"
        }
    }
}
