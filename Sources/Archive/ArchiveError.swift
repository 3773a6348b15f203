import Foundation

/// What went wrong while writing or reading an archive, compressing, or storing a blob.
///
/// Every case says what failed and, in its description, what to do next.
public enum ArchiveError: Error, Equatable, CustomStringConvertible {
    /// libarchive refused an operation; `message` is `archive_error_string`.
    case libarchive(operation: String, message: String, path: String?)
    /// A compressor or decompressor failed (ISA-L or libzstd status).
    case compression(codec: String, message: String)
    /// A compression level outside what the codec supports.
    case invalidLevel(codec: String, level: Int, supported: ClosedRange<Int>)
    /// A system call on a file failed.
    case io(operation: String, path: String, errno: Int32)
    /// An entry path that could escape the extraction root (absolute, `..`, empty, NUL).
    case unsafePath(String, reason: String)
    /// An entry that cannot be written as given.
    case invalidEntry(path: String, reason: String)
    /// A regular entry received a different number of data bytes than its header announced.
    case dataSizeMismatch(path: String, expected: Int64, actual: Int64)
    /// Entries were not added in layer order (sorted, parents before children, no duplicates).
    case entryOrder(previous: String, next: String)
    /// An entry's parent directory was not written before it.
    case missingParent(path: String, parent: String)
    /// A host file changed size while it was being archived.
    case fileChanged(path: String)
    /// A blob's content did not match the digest or size it was expected to have.
    case digestMismatch(expected: String, actual: String)
    /// An API was used out of order (data without an entry, writing after finish, ...).
    case invalidState(String)
    /// The other side of a pipeline stopped; the operation was abandoned.
    case cancelled
    /// `SOURCE_DATE_EPOCH` is set but is not a whole number of seconds.
    case invalidSourceDateEpoch(String)

    public var description: String {
        switch self {
        case .libarchive(let operation, let message, let path):
            let subject = path.map { " for '\($0)'" } ?? ""
            return "libarchive \(operation) failed\(subject): \(message); check that the input is a valid tar or zip archive and that the entry fields are representable"
        case .compression(let codec, let message):
            return "\(codec) compression failed: \(message); the output is incomplete and has been discarded"
        case .invalidLevel(let codec, let level, let supported):
            return "\(codec) compression level \(level) is not supported: choose a level from \(supported.lowerBound) to \(supported.upperBound)"
        case .io(let operation, let path, let errno):
            return "\(operation) '\(path)' failed: \(String(cString: strerror(errno))) (errno \(errno)); check that the path exists, is accessible and that the disk is not full"
        case .unsafePath(let path, let reason):
            return "unsafe entry path '\(path)': \(reason); entry paths must be relative and stay inside the archive root"
        case .invalidEntry(let path, let reason):
            return "invalid entry '\(path)': \(reason)"
        case .dataSizeMismatch(let path, let expected, let actual):
            return "entry '\(path)' announced \(expected) bytes of data but \(actual) were written; write exactly the size given in the entry before the next entry or finish()"
        case .entryOrder(let previous, let next):
            return "entry '\(next)' added after '\(previous)': layer entries must be added in sorted order, each path once (use LayerContents to sort them)"
        case .missingParent(let path, let parent):
            return "entry '\(path)' added before its parent directory '\(parent)/': add the parent directory first, or set requireParentDirectories to false"
        case .fileChanged(let path):
            return "file '\(path)' changed size while it was being archived; make sure nothing writes to the tree during the build and retry"
        case .digestMismatch(let expected, let actual):
            return "content digest mismatch: expected \(expected), got \(actual); the source is corrupt or changed, fetch it again"
        case .invalidState(let message):
            return "archive API misuse: \(message)"
        case .cancelled:
            return "the archive pipeline was cancelled because another stage failed"
        case .invalidSourceDateEpoch(let value):
            return "SOURCE_DATE_EPOCH='\(value)' is not a whole number of seconds since 1970; set it to an integer such as $(git log -1 --format=%ct) or unset it"
        }
    }
}
