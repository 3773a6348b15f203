import Pip
import Testing

/// Console scripts from `entry_points.txt`, and the launcher text pip writes for them.
@Suite struct EntryPointTests {
    @Test func consoleAndGUIScriptsAreReadAndOtherGroupsIgnored() {
        let text = """
            [console_scripts]
            torchrun = torch.distributed.run:main
            tool = pkg.cli:App.run [extra]

            [gui_scripts]
            viewer=pkg.gui:start

            [pytest11]
            plugin = pkg.plugin
            """
        let scripts = EntryPoint.scripts(in: text)
        #expect(scripts.map(\.name) == ["torchrun", "tool", "viewer"])
        #expect(scripts[1].module == "pkg.cli" && scripts[1].attribute == "App.run")
        #expect(scripts[2].isGUI)
    }

    @Test func theLauncherIsPipsTemplate() {
        let launcher = EntryPoint(name: "tool", module: "pkg.cli", attribute: "App.run", isGUI: false).launcher(interpreter: "/opt/conda/bin/python3.10")
        #expect(launcher == """
            #!/opt/conda/bin/python3.10
            # -*- coding: utf-8 -*-
            import re
            import sys
            from pkg.cli import App
            if __name__ == '__main__':
                sys.argv[0] = re.sub(r'(-script\\.pyw|\\.exe)?$', '', sys.argv[0])
                sys.exit(App.run())

            """)
        #expect(EntryPoint.shebang("/opt/my env/bin/python").hasPrefix("#!/bin/sh\n'''exec' '/opt/my env/bin/python'"))
    }
}
