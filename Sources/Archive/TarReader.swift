import CArchive

/// Reads tar archives (ustar, PAX, GNU; plain, gzip, zstd, bzip2, xz) and zip archives (wheels,
/// `.conda`) through libarchive, from any `ByteSource`, streaming.
///
/// `next()` returns each entry's metadata; the entry's data can then be read in chunks
/// (`readData(into:)`, `forEachChunk(_:)`, `readAll(limit:)`), exposed as a `ByteSource`
/// (`dataSource()`, to read an archive nested in this one), or skipped: unread data is skipped
/// by the next `next()`.
///
/// Paths are normalized (`./a/b/` → `a/b`, the root `./` → `""`); absolute paths, `..`
/// components and names that are not UTF-8 are reported as errors unless
/// `allowUnsafePaths` is set, in which case paths are returned as stored, minus a trailing `/`.
public final class TarReader {
    public enum Format: Hashable, Sendable {
        case tar
        case zip
    }

    public struct Options: Sendable {
        /// Archive formats to recognize.
        public var formats: Set<Format>
        public var allowUnsafePaths: Bool
        /// Size of each read from the source.
        public var readSize: Int

        public init(formats: Set<Format> = [.tar, .zip], allowUnsafePaths: Bool = false, readSize: Int = 1 << 20) {
            self.formats = formats
            self.allowUnsafePaths = allowUnsafePaths
            self.readSize = readSize
        }
    }

    private let archive: OpaquePointer
    private let context: ReadContext
    private let options: Options
    private var dataBuffer: UnsafeMutableRawBufferPointer
    private var isOpen = true
    private var currentPath = ""

    /// Reads the archive at `path` (seekable: zip archives are read through their central directory).
    public convenience init(path: String, options: Options = Options()) throws {
        try self.init(source: FileSource(path: path), options: options)
    }

    public init(source: any ByteSource, options: Options = Options()) throws {
        guard let archive = archive_read_new() else {
            throw ArchiveError.libarchive(operation: "archive_read_new", message: "out of memory", path: nil)
        }
        self.archive = archive
        self.options = options
        self.context = ReadContext(source: source, capacity: max(4096, options.readSize))
        self.dataBuffer = .allocate(byteCount: 256 * 1024, alignment: 16)
        // Filters: ARCHIVE_WARN only means an external program would be used; accept it.
        _ = archive_read_support_filter_none(archive)
        _ = archive_read_support_filter_gzip(archive)
        _ = archive_read_support_filter_zstd(archive)
        _ = archive_read_support_filter_bzip2(archive)
        _ = archive_read_support_filter_xz(archive)
        if options.formats.contains(.tar) { _ = archive_read_support_format_tar(archive) }
        if options.formats.contains(.zip) { _ = archive_read_support_format_zip(archive) }
        // Names in ustar headers are taken as UTF-8 whatever the process locale.
        _ = archive_read_set_options(archive, "hdrcharset=UTF-8")
        let client = Unmanaged.passUnretained(context).toOpaque()
        _ = archive_read_set_read_callback(archive, tarReadCallback)
        _ = archive_read_set_skip_callback(archive, tarSkipCallback)
        if source.isSeekable { _ = archive_read_set_seek_callback(archive, tarSeekCallback) }
        _ = archive_read_set_callback_data(archive, client)
        let status = archive_read_open1(archive)
        if status != ARCHIVE_OK {
            let error = failure(status, "read_open")
            archive_read_free(archive)
            dataBuffer.deallocate()
            source.close()
            throw error
        }
    }

    deinit {
        archive_read_free(archive)
        dataBuffer.deallocate()
        context.source.close()
    }

    /// The archive format libarchive recognized (`POSIX pax interchange format`, `GNU tar format`, `ZIP 2.0 (deflation)`, ...).
    public var formatName: String? { archive_format_name(archive).map { String(cString: $0) } }

    /// Compression filters, outermost first (`gzip`, `zstd`, ...); empty for plain archives.
    public var filterNames: [String] {
        let count = archive_filter_count(archive)
        return (0..<count).compactMap { index in
            archive_filter_name(archive, index).map { String(cString: $0) }
        }.filter { $0 != "none" }
    }

    /// The next entry, or nil at the end of the archive.
    public func next() throws -> TarEntry? {
        guard isOpen else { return nil }
        var header: OpaquePointer?
        var status = UTF8Locale.run { archive_read_next_header(archive, &header) }
        while status == ARCHIVE_RETRY { status = UTF8Locale.run { archive_read_next_header(archive, &header) } }
        if status == ARCHIVE_EOF {
            isOpen = false
            return nil
        }
        guard status == ARCHIVE_OK || status == ARCHIVE_WARN, let header else {
            throw failure(status, "read_next_header")
        }
        let entry = try UTF8Locale.run { try makeEntry(header) }
        currentPath = entry.path
        return entry
    }

    /// Reads up to `buffer.count` bytes of the current entry's data; 0 at its end.
    public func readData(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        guard buffer.count > 0 else { return 0 }
        let count = archive_read_data(archive, buffer.baseAddress, buffer.count)
        if count < 0 { throw failure(Int32(truncatingIfNeeded: count), "read_data", path: currentPath) }
        return count
    }

    /// Calls `body` with successive chunks of the current entry's data (valid only during the call).
    public func forEachChunk(_ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        while true {
            let count = try readData(into: dataBuffer)
            if count == 0 { return }
            try body(UnsafeRawBufferPointer(rebasing: dataBuffer[0..<count]))
        }
    }

    /// The current entry's data in memory, for small files (metadata, JSON); throws beyond `limit`.
    public func readAll(limit: Int = 64 << 20) throws -> [UInt8] {
        var bytes: [UInt8] = []
        try forEachChunk { chunk in
            guard bytes.count + chunk.count <= limit else {
                throw ArchiveError.invalidEntry(path: currentPath, reason: "larger than the \(limit)-byte limit for reading into memory")
            }
            bytes.append(contentsOf: chunk)
        }
        return bytes
    }

    /// Skips the current entry's data (also done implicitly by `next()`).
    public func skipData() throws {
        let status = archive_read_data_skip(archive)
        if status != ARCHIVE_OK { throw failure(status, "read_data_skip", path: currentPath) }
    }

    /// The current entry's data as a byte source, to read an archive stored inside this one
    /// (a `.conda`'s `pkg-*.tar.zst`). Valid until `next()` is called.
    public func dataSource() -> any ByteSource { EntryDataSource(reader: self) }

    private func makeEntry(_ header: OpaquePointer) throws -> TarEntry {
        let rawPath = try string(archive_entry_pathname_utf8(header), archive_entry_pathname(header), what: "path")
        let path = try clean(rawPath)
        let fileType = UInt32(archive_entry_filetype(header)) & ArchiveFileType.mask
        let kind: TarEntry.Kind
        if let hardlink = archive_entry_hardlink_utf8(header) ?? archive_entry_hardlink(header) {
            kind = .hardLink(target: try clean(try string(hardlink, nil, what: "hard link target")))
        } else {
            switch fileType {
            case ArchiveFileType.directory:
                kind = .directory
            case ArchiveFileType.symlink:
                let target = try string(archive_entry_symlink_utf8(header), archive_entry_symlink(header), what: "symlink target")
                kind = .symlink(target: target)
            case ArchiveFileType.characterDevice:
                kind = .characterDevice(major: UInt32(archive_entry_rdevmajor(header)), minor: UInt32(archive_entry_rdevminor(header)))
            case ArchiveFileType.blockDevice:
                kind = .blockDevice(major: UInt32(archive_entry_rdevmajor(header)), minor: UInt32(archive_entry_rdevminor(header)))
            case ArchiveFileType.fifo:
                kind = .fifo
            case ArchiveFileType.regular, 0:
                kind = .regular(size: archive_entry_size_is_set(header) != 0 ? archive_entry_size(header) : -1)
            default:
                throw ArchiveError.invalidEntry(path: path, reason: "unsupported file type \(String(fileType, radix: 8))")
            }
        }
        var xattrs: [String: [UInt8]] = [:]
        if archive_entry_xattr_reset(header) > 0 {
            var name: UnsafePointer<CChar>?
            var value: UnsafeRawPointer?
            var size = 0
            while archive_entry_xattr_next(header, &name, &value, &size) == ARCHIVE_OK {
                guard let name else { continue }
                xattrs[String(cString: name)] = value.map { Array(UnsafeRawBufferPointer(start: $0, count: size)) } ?? []
            }
        }
        return TarEntry(
            path: path, kind: kind, mode: UInt32(archive_entry_perm(header)) & 0o7777,
            uid: Int(archive_entry_uid(header)), gid: Int(archive_entry_gid(header)),
            uname: archive_entry_uname_utf8(header).map { String(cString: $0) } ?? "",
            gname: archive_entry_gname_utf8(header).map { String(cString: $0) } ?? "",
            mtime: Int64(archive_entry_mtime(header)), xattrs: xattrs)
    }

    private func clean(_ raw: String) throws -> String {
        if options.allowUnsafePaths {
            var path = raw
            while path.count > 1 && path.hasSuffix("/") { path.removeLast() }
            return path
        }
        return try EntryPath.normalizeAllowingRoot(raw)
    }

    private func string(_ utf8: UnsafePointer<CChar>?, _ raw: UnsafePointer<CChar>?, what: String) throws -> String {
        if let utf8 { return String(cString: utf8) }
        guard let raw else {
            throw ArchiveError.invalidEntry(path: currentPath, reason: "the entry has no \(what)")
        }
        guard let text = String(validatingCString: raw) else {
            throw ArchiveError.invalidEntry(path: String(cString: raw), reason: "its \(what) is not valid UTF-8")
        }
        return text
    }

    private func failure(_ status: Int32, _ operation: String, path: String? = nil) -> any Error {
        if let error = context.error {
            context.error = nil
            return error
        }
        let message = archive_error_string(archive).map { String(cString: $0) } ?? "status \(status)"
        return ArchiveError.libarchive(operation: operation, message: message, path: path)
    }
}

/// The read callbacks' state: the source, the buffer handed to libarchive, and the source's
/// error to rethrow instead of libarchive's generic one.
final class ReadContext {
    let source: any ByteSource
    let buffer: UnsafeMutableRawBufferPointer
    var error: (any Error)?

    init(source: any ByteSource, capacity: Int) {
        self.source = source
        self.buffer = .allocate(byteCount: capacity, alignment: 16)
    }

    deinit { buffer.deallocate() }
}

private func readContext(_ client: UnsafeMutableRawPointer?) -> ReadContext? {
    client.map { Unmanaged<ReadContext>.fromOpaque($0).takeUnretainedValue() }
}

private func tarReadCallback(
    _ archive: OpaquePointer?, _ client: UnsafeMutableRawPointer?, _ buffer: UnsafeMutablePointer<UnsafeRawPointer?>?
) -> la_ssize_t {
    guard let context = readContext(client) else { return -1 }
    do {
        let count = try context.source.read(into: context.buffer)
        buffer?.pointee = UnsafeRawPointer(context.buffer.baseAddress)
        return count
    } catch {
        context.error = error
        return -1
    }
}

private func tarSkipCallback(_ archive: OpaquePointer?, _ client: UnsafeMutableRawPointer?, _ request: la_int64_t) -> la_int64_t {
    guard let context = readContext(client), context.source.isSeekable, request > 0 else { return 0 }
    do {
        _ = try context.source.seek(offset: request, whence: SEEK_CUR)
        return request
    } catch {
        return 0
    }
}

private func tarSeekCallback(
    _ archive: OpaquePointer?, _ client: UnsafeMutableRawPointer?, _ offset: la_int64_t, _ whence: Int32
) -> la_int64_t {
    guard let context = readContext(client) else { return la_int64_t(ARCHIVE_FATAL) }
    do {
        return try context.source.seek(offset: offset, whence: whence)
    } catch {
        context.error = error
        return la_int64_t(ARCHIVE_FATAL)
    }
}

/// The current entry of a `TarReader` as a byte source.
final class EntryDataSource: ByteSource {
    private let reader: TarReader

    init(reader: TarReader) { self.reader = reader }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        try reader.readData(into: buffer)
    }
}
