/// A console or GUI script from `entry_points.txt`, and the launcher pip writes for it.
public struct EntryPoint: Sendable, Hashable {
    public var name: String
    public var module: String
    /// `main`, or `Class.method`.
    public var attribute: String
    public var isGUI: Bool

    public init(name: String, module: String, attribute: String, isGUI: Bool) {
        self.name = name
        self.module = module
        self.attribute = attribute
        self.isGUI = isGUI
    }

    /// The `[console_scripts]` and `[gui_scripts]` entries of an `entry_points.txt` (INI).
    public static func scripts(in text: String) -> [EntryPoint] {
        var section = ""
        var result: [EntryPoint] = []
        for rawLine in text.split(whereSeparator: \.isNewline) {
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix(";") { continue }
            if line.hasPrefix("["), line.hasSuffix("]") {
                section = String(line.dropFirst().dropLast()).trimmingCharacters(in: .whitespaces)
                continue
            }
            guard section == "console_scripts" || section == "gui_scripts",
                  let equals = line.firstIndex(of: "=")
            else { continue }
            let name = line[..<equals].trimmingCharacters(in: .whitespaces)
            var value = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            if let bracket = value.firstIndex(of: "[") { value = value[..<bracket].trimmingCharacters(in: .whitespaces) }
            let parts = value.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, !name.isEmpty, !parts[0].isEmpty, !parts[1].isEmpty else { continue }
            result.append(EntryPoint(name: name, module: parts[0], attribute: parts[1], isGUI: section == "gui_scripts"))
        }
        return result
    }

    /// The launcher script pip (through distlib) writes: the shebang, then an import of the
    /// attribute's first part and a call of the attribute.
    public func launcher(interpreter: String) -> String {
        let importName = attribute.split(separator: ".").first.map(String.init) ?? attribute
        return Self.shebang(interpreter) + """
            # -*- coding: utf-8 -*-
            import re
            import sys
            from \(module) import \(importName)
            if __name__ == '__main__':
                sys.argv[0] = re.sub(r'(-script\\.pyw|\\.exe)?$', '', sys.argv[0])
                sys.exit(\(attribute)())

            """
    }

    /// `#!<interpreter>\n`, or pip's `/bin/sh` trampoline when the path has a space or is too
    /// long for the kernel's shebang limit.
    public static func shebang(_ interpreter: String) -> String {
        if !interpreter.contains(" "), interpreter.utf8.count + 3 <= 127 { return "#!\(interpreter)\n" }
        return "#!/bin/sh\n'''exec' '\(interpreter)' \"$0\" \"$@\"\n' '''\n"
    }
}
