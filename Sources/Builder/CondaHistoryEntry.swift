import Conda
import Foundation

/// The entry conda appends to `conda-meta/history` for a transaction:
///
///     ==> 2024-05-01 10:00:00 <==
///     # cmd: smimg build recipe.yml
///     # conda version: smimg
///     -defaults/linux-64::pytorch-2.0.1-py3.10_cuda11.8_0
///     +conda-forge/linux-64::faiss-gpu-1.7.4-py310h_0
///     # update specs: ['faiss-gpu=1.7.4']
///     # remove specs: ['pytorch']
///
/// `conda list --revisions` and `conda install --revision` read it.
struct CondaHistoryEntry: Sendable, Hashable {
    /// Seconds since the epoch (the build's `SOURCE_DATE_EPOCH`, so the layer is reproducible).
    var time: Int64
    var command: String
    var removed: [CondaPackageRecord]
    var added: [CondaPackageRecord]
    var updateSpecs: [String]
    var removeSpecs: [String]

    var text: String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss"
        var lines = [
            "==> \(formatter.string(from: Date(timeIntervalSince1970: TimeInterval(time)))) <==",
            "# cmd: \(command)",
            "# conda version: smimg",
        ]
        lines += removed.map { "-" + Self.canonical($0) }.sorted()
        lines += added.map { "+" + Self.canonical($0) }.sorted()
        if !updateSpecs.isEmpty { lines.append("# update specs: " + Self.pythonList(updateSpecs)) }
        if !removeSpecs.isEmpty { lines.append("# remove specs: " + Self.pythonList(removeSpecs)) }
        return lines.joined(separator: "\n") + "\n"
    }

    /// `conda-forge/linux-64::name-version-build`: the channel's short name where it is an
    /// anaconda.org or repo.anaconda.com URL, else the URL.
    static func canonical(_ record: CondaPackageRecord) -> String {
        var channel = record.channel
        for host in ["https://conda.anaconda.org/", "https://repo.anaconda.com/"] where channel.hasPrefix(host) {
            channel = String(channel.dropFirst(host.count))
        }
        if channel.hasSuffix("/" + record.subdir) { channel = String(channel.dropLast(record.subdir.count + 1)) }
        let subdir = record.subdir.isEmpty ? "" : "/" + record.subdir
        return "\(channel.isEmpty ? "<unknown>" : channel)\(subdir)::\(record.distName)"
    }

    static func pythonList(_ items: [String]) -> String {
        "[" + items.map { "'" + $0.replacingOccurrences(of: "'", with: "\\'") + "'" }.joined(separator: ", ") + "]"
    }
}
