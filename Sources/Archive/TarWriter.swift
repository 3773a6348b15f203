import CArchive
import NIOCore

/// Writes a tar stream (PAX restricted: ustar headers, PAX records only where ustar cannot hold
/// a field) through libarchive to a `ByteSink`, never to a temporary file.
///
/// Usage: `writeEntry(_:)`, then for a regular file `writeData(_:)` until exactly `size` bytes
/// were given, then the next entry, and `finish()` at the end (which writes the end-of-archive
/// marker and finishes the sink). Paths are checked (relative, no `..`) and normalized;
/// directories get their trailing `/`. Entries are written in the order given: sorting is the
/// job of `LayerWriter` / `LayerContents`. No padding after the end-of-archive blocks.
public final class TarWriter {
    private let archive: OpaquePointer
    private let header: OpaquePointer
    private let output: WriteContext
    private let defaultMtime: Int64
    private var currentPath = ""
    private var expected: Int64 = 0
    private var written: Int64 = 0
    private var isOpen = true

    /// `defaultMtime` is used for entries whose `mtime` is nil.
    public init(sink: any ByteSink, defaultMtime: Int64 = 0) throws {
        guard let archive = archive_write_new() else {
            throw ArchiveError.libarchive(operation: "archive_write_new", message: "out of memory", path: nil)
        }
        guard let header = archive_entry_new() else {
            archive_write_free(archive)
            throw ArchiveError.libarchive(operation: "archive_entry_new", message: "out of memory", path: nil)
        }
        self.archive = archive
        self.header = header
        self.output = WriteContext(sink: sink)
        self.defaultMtime = defaultMtime
        do {
            try check(archive_write_set_format_pax_restricted(archive), "set_format_pax_restricted")
            // Extended attributes as SCHILY.xattr only: what Go's archive/tar reads.
            _ = archive_write_set_format_option(archive, "pax", "xattrheader", "SCHILY")
            // No blocking: bytes go straight to the sink, and the stream ends right after the
            // two zero blocks of the end-of-archive marker (as Go's writer does).
            try check(archive_write_set_bytes_per_block(archive, 0), "set_bytes_per_block")
            try check(archive_write_set_bytes_in_last_block(archive, 1), "set_bytes_in_last_block")
            let client = Unmanaged.passUnretained(output).toOpaque()
            try check(archive_write_open2(archive, client, nil, tarWriteCallback, nil, nil), "write_open")
        } catch {
            archive_entry_free(header)
            archive_write_free(archive)
            throw error
        }
    }

    deinit {
        if isOpen {
            output.isDiscarding = true
            output.sink.abort()
        }
        archive_entry_free(header)
        archive_write_free(archive)
    }

    /// Starts an entry. The previous regular entry must have received all its data.
    public func writeEntry(_ entry: TarEntry) throws {
        try requireOpen()
        try requireDataComplete()
        let path = try EntryPath.normalize(entry.path)
        archive_entry_clear(header)
        archive_entry_set_pathname_utf8(header, entry.kind == .directory ? path + "/" : path)
        switch entry.kind {
        case .regular(let size):
            guard size >= 0 else { throw ArchiveError.invalidEntry(path: path, reason: "negative size \(size)") }
            archive_entry_set_filetype(header, ArchiveFileType.regular)
            archive_entry_set_size(header, size)
        case .directory:
            archive_entry_set_filetype(header, ArchiveFileType.directory)
            archive_entry_set_size(header, 0)
        case .symlink(let target):
            guard !target.isEmpty, !target.utf8.contains(0) else {
                throw ArchiveError.invalidEntry(path: path, reason: "symlink target is empty or contains NUL")
            }
            archive_entry_set_filetype(header, ArchiveFileType.symlink)
            archive_entry_set_symlink_utf8(header, target)
            archive_entry_set_size(header, 0)
        case .hardLink(let target):
            let cleanTarget = try EntryPath.normalize(target)
            archive_entry_set_filetype(header, ArchiveFileType.regular)
            archive_entry_set_hardlink_utf8(header, cleanTarget)
            archive_entry_set_size(header, 0)
        case .characterDevice(let major, let minor):
            archive_entry_set_filetype(header, ArchiveFileType.characterDevice)
            archive_entry_set_rdevmajor(header, dev_t(major))
            archive_entry_set_rdevminor(header, dev_t(minor))
        case .blockDevice(let major, let minor):
            archive_entry_set_filetype(header, ArchiveFileType.blockDevice)
            archive_entry_set_rdevmajor(header, dev_t(major))
            archive_entry_set_rdevminor(header, dev_t(minor))
        case .fifo:
            archive_entry_set_filetype(header, ArchiveFileType.fifo)
        }
        archive_entry_set_perm(header, entry.mode & 0o7777)
        guard entry.uid >= 0, entry.gid >= 0 else {
            throw ArchiveError.invalidEntry(path: path, reason: "negative uid or gid")
        }
        archive_entry_set_uid(header, Int64(entry.uid))
        archive_entry_set_gid(header, Int64(entry.gid))
        if !entry.uname.isEmpty { archive_entry_set_uname_utf8(header, entry.uname) }
        if !entry.gname.isEmpty { archive_entry_set_gname_utf8(header, entry.gname) }
        archive_entry_set_mtime(header, time_t(entry.mtime ?? defaultMtime), 0)
        for name in entry.xattrs.keys.sorted() {
            guard let value = entry.xattrs[name] else { continue }
            value.withUnsafeBytes { archive_entry_xattr_add_entry(header, name, $0.baseAddress, $0.count) }
        }
        if !UTF8Locale.isAvailable && !path.utf8.allSatisfy({ $0 < 0x80 }) {
            throw ArchiveError.invalidEntry(path: path, reason: "non-ASCII names need a UTF-8 locale (C.UTF-8), which this system lacks")
        }
        try check(UTF8Locale.run { archive_write_header(archive, header) }, "write_header", path: path)
        currentPath = path
        expected = entry.size
        written = 0
    }

    /// Data of the current regular entry; may be called repeatedly.
    public func writeData(_ bytes: UnsafeRawBufferPointer) throws {
        try requireOpen()
        guard bytes.count > 0, let base = bytes.baseAddress else { return }
        guard written + Int64(bytes.count) <= expected else {
            throw ArchiveError.dataSizeMismatch(path: currentPath, expected: expected, actual: written + Int64(bytes.count))
        }
        var offset = 0
        while offset < bytes.count {
            let result = archive_write_data(archive, base + offset, bytes.count - offset)
            if result <= 0 {
                try check(Int32(truncatingIfNeeded: result < 0 ? result : Int(ARCHIVE_FATAL)), "write_data", path: currentPath)
            }
            offset += result
        }
        written += Int64(bytes.count)
    }

    public func writeData(_ buffer: ByteBuffer) throws {
        try buffer.withUnsafeReadableBytes { try writeData($0) }
    }

    public func writeData(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { try writeData($0) }
    }

    /// Writes the end-of-archive marker and finishes the sink.
    public func finish() throws {
        try requireOpen()
        try requireDataComplete()
        try check(archive_write_close(archive), "write_close")
        isOpen = false
        try output.sink.finish()
    }

    /// Abandons the archive: nothing more reaches the sink, which is aborted.
    public func abort() {
        guard isOpen else { return }
        isOpen = false
        output.isDiscarding = true
        output.sink.abort()
    }

    private func requireOpen() throws {
        guard isOpen else { throw ArchiveError.invalidState("the tar writer is finished or aborted") }
    }

    private func requireDataComplete() throws {
        guard written == expected else {
            throw ArchiveError.dataSizeMismatch(path: currentPath, expected: expected, actual: written)
        }
    }

    private func check(_ status: Int32, _ operation: String, path: String? = nil) throws {
        guard status != ARCHIVE_OK else { return }
        if let error = output.error {
            output.error = nil
            throw error
        }
        let message = archive_error_string(archive).map { String(cString: $0) } ?? "status \(status)"
        throw ArchiveError.libarchive(operation: operation, message: message, path: path)
    }
}

/// The write callback's state: the sink, and the sink's error to rethrow instead of
/// libarchive's generic one.
final class WriteContext {
    let sink: any ByteSink
    var error: (any Error)?
    var isDiscarding = false

    init(sink: any ByteSink) { self.sink = sink }
}

private func tarWriteCallback(
    _ archive: OpaquePointer?, _ client: UnsafeMutableRawPointer?, _ buffer: UnsafeRawPointer?, _ length: Int
) -> la_ssize_t {
    guard let client else { return -1 }
    let context = Unmanaged<WriteContext>.fromOpaque(client).takeUnretainedValue()
    if context.isDiscarding { return length }
    do {
        try context.sink.write(UnsafeRawBufferPointer(start: buffer, count: length))
        return length
    } catch {
        context.error = error
        return -1
    }
}
