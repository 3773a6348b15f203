import Foundation

/// Channel names as conda spells them, turned into URLs: `conda-forge` →
/// `https://conda.anaconda.org/conda-forge` (the alias can be changed with
/// `SMIMG_CONDA_CHANNEL_ALIAS`, as conda's `channel_alias`), `defaults` → Anaconda's
/// `pkgs/main` and `pkgs/r`, URLs as they are.
enum CondaChannelNames {
    static var alias: String {
        let configured = ProcessInfo.processInfo.environment["SMIMG_CONDA_CHANNEL_ALIAS"] ?? ""
        let alias = configured.isEmpty ? "https://conda.anaconda.org" : configured
        return alias.hasSuffix("/") ? String(alias.dropLast()) : alias
    }

    static func urls(for channel: String) -> [String] {
        if channel.contains("://") { return [channel.hasSuffix("/") ? String(channel.dropLast()) : channel] }
        switch channel {
        case "defaults": return ["https://repo.anaconda.com/pkgs/main", "https://repo.anaconda.com/pkgs/r"]
        case "pkgs/main", "pkgs/r", "pkgs/msys2": return ["https://repo.anaconda.com/" + channel]
        default: return [alias + "/" + channel]
        }
    }

    /// The `channels:` list of `<prefix>/.condarc` (or `/root/.condarc`, `/etc/conda/.condarc`)
    /// in the image; empty when none lists channels.
    static func fromCondarc(in filesystem: ImageFilesystem, prefix: String) -> [String] {
        for path in [prefix + "/.condarc", "/root/.condarc", "/etc/conda/.condarc", "/etc/conda/condarc"] {
            guard filesystem.entry(filesystem.resolve(path) ?? path)?.kind == .regular,
                  let bytes = try? filesystem.readFile(path, limit: 1 << 20)
            else { continue }
            let channels = channelList(String(decoding: bytes, as: UTF8.self))
            if !channels.isEmpty { return channels }
        }
        return []
    }

    /// The block list under a top-level `channels:` key (`- conda-forge`), or a flow list
    /// (`channels: [conda-forge, defaults]`).
    static func channelList(_ text: String) -> [String] {
        var result: [String] = []
        var inChannels = false
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = rawLine.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty { continue }
            if !line.hasPrefix(" ") && !line.hasPrefix("\t") && !line.hasPrefix("-") {
                inChannels = false
                if trimmed.hasPrefix("channels:") {
                    let rest = trimmed.dropFirst("channels:".count).trimmingCharacters(in: .whitespaces)
                    if rest.hasPrefix("[") {
                        return rest.trimmingCharacters(in: CharacterSet(charactersIn: "[] "))
                            .split(separator: ",").map { unquote($0.trimmingCharacters(in: .whitespaces)) }.filter { !$0.isEmpty }
                    }
                    inChannels = true
                }
                continue
            }
            if inChannels, trimmed.hasPrefix("-") {
                let value = unquote(trimmed.dropFirst().trimmingCharacters(in: .whitespaces))
                if !value.isEmpty { result.append(value) }
            }
        }
        return result
    }

    private static func unquote(_ text: String) -> String {
        text.trimmingCharacters(in: CharacterSet(charactersIn: "\"'"))
    }
}
