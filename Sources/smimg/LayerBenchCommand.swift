import Archive
import ArgumentParser
import Foundation

/// `smimg bench layer DIR`: writes one layer from a directory and prints a JSON line with what
/// it produced and how long it took (used by benchmarks/layer-bench.sh).
struct LayerBenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "layer",
        abstract: "Write one layer from a directory (benchmark)")

    enum Codec: String, ExpressibleByArgument, CaseIterable {
        case gzip, zstd, none
    }

    @Argument(help: "The directory whose contents become the layer's root.")
    var directory: String

    @Option(help: "Layer compression: gzip, zstd or none.")
    var compression: Codec = .gzip

    @Option(help: "Compression level (gzip: 0-3, default \(GzipCompressor.defaultLevel); zstd: default \(ZstdCompressor.defaultLevel)).")
    var level: Int?

    @Option(help: "The blob store directory to write the layer into (default: a directory under $TMPDIR).")
    var store: String?

    func run() async throws {
        let compression: Compression
        switch self.compression {
        case .gzip: compression = .gzip(level: level ?? GzipCompressor.defaultLevel)
        case .zstd: compression = .zstd(level: level ?? ZstdCompressor.defaultLevel)
        case .none: compression = .none
        }
        let storeRoot = store ?? FileManager.default.temporaryDirectory.appendingPathComponent("smimg-layer-bench").path
        let options = LayerWriter.Options(compression: compression, mtime: try SourceDateEpoch.mtime())
        let directory = self.directory
        let start = ContinuousClock.now
        let layer = try await LayerWriter.write(to: BlobStore(root: storeRoot), options: options) { writer in
            try writer.addDirectory(directory, at: "")
        }
        let elapsed = ContinuousClock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let report = LayerBenchReport(
            compression: "\(compression)", digest: layer.descriptor.digest.description, diffID: layer.diffID.description,
            size: layer.descriptor.size, bytesIn: layer.uncompressedSize, seconds: seconds,
            mibPerSecond: seconds > 0 ? Double(layer.uncompressedSize) / 1_048_576 / seconds : 0, path: layer.path)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        print(String(decoding: try encoder.encode(report), as: UTF8.self))
    }
}

/// The JSON line `smimg bench layer` prints.
struct LayerBenchReport: Codable {
    var compression: String
    var digest: String
    var diffID: String
    var size: Int64
    var bytesIn: Int64
    var seconds: Double
    var mibPerSecond: Double
    var path: String
}
