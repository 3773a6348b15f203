import Conda
import Testing

@Suite struct CondaSolverTests {
    static let forge = "https://conda.anaconda.org/conda-forge"
    static let pytorch = "https://conda.anaconda.org/pytorch"

    static let virtuals = [
        record("__glibc", "2.31", "0", channel: "@", subdir: "linux-64"),
        record("__unix", "0", "0", channel: "@", subdir: "linux-64"),
        record("__linux", "5.15", "0", channel: "@", subdir: "linux-64"),
        record("__cuda", "12.2", "0", channel: "@", subdir: "linux-64"),
    ]

    /// A small conda-forge-like channel.
    static let forgeRecords = [
        record("python", "3.10.13", "hd_0_cpython", depends: ["libzlib >=1.2.13,<2.0a0", "__glibc >=2.17,<3.0.a0"],
            constrains: ["python_abi 3.10.* *_cp310"]),
        record("python", "3.11.6", "hab_0_cpython", depends: ["libzlib >=1.2.13,<2.0a0", "__glibc >=2.17,<3.0.a0"],
            constrains: ["python_abi 3.11.* *_cp311"]),
        record("python_abi", "3.10", "4_cp310"),
        record("python_abi", "3.11", "4_cp311"),
        record("libzlib", "1.2.13", "hd590300_5"),
        record("libzlib", "1.3.1", "h4ab18f5_1"),
        record("numpy", "1.26.4", "py310hb13e2d6_0", depends: ["python >=3.10,<3.11.0a0", "python_abi 3.10.* *_cp310"]),
        record("numpy", "1.26.4", "py311h64a7726_0", depends: ["python >=3.11,<3.12.0a0", "python_abi 3.11.* *_cp311"]),
        record("numpy", "1.21.6", "py310h45f3432_0", depends: ["python >=3.10,<3.11.0a0", "python_abi 3.10.* *_cp310"]),
        record("cudatoolkit", "11.1.74", "h6bb024c_0", depends: ["__glibc >=2.17"]),
        record("cudatoolkit", "11.8.0", "h4ba93d1_12", depends: ["__glibc >=2.17"]),
        record("faiss-gpu", "1.7.2", "py310_h28a55e0_0", depends: [
            "python >=3.10,<3.11.0a0", "numpy >=1.21", "cudatoolkit >=11.3", "__cuda",
        ]),
        record("faiss-gpu", "1.7.1", "py310_h1234567_0", depends: ["python >=3.10,<3.11.0a0", "cudatoolkit >=11.0"]),
    ]

    func solver(
        _ channels: [[CondaPackageRecord]] = [forgeRecords], installed: [CondaPackageRecord] = [],
        virtuals: [CondaPackageRecord] = virtuals
    ) -> CondaSolver {
        CondaSolver(channels: channels, installed: installed, virtualPackages: virtuals)
    }

    func specs(_ texts: String...) throws -> [MatchSpec] {
        try texts.map { try MatchSpec($0) }
    }

    @Test func picksTheHighestVersionsThatFitTogether() throws {
        // Requested names are decided in order, so python 3.11 is fixed before numpy's build.
        let solution = try solver().solve(specs("python", "numpy"))
        #expect(solution["numpy"]?.build == "py311h64a7726_0")
        #expect(solution["python"]?.version == "3.11.6")
        #expect(solution["python_abi"]?.build == "4_cp311")
        #expect(solution["libzlib"]?.version == "1.3.1")
        #expect(solution.records.map(\.name) == ["libzlib", "python_abi", "python", "numpy"])
        #expect(solution.toInstall.count == 4)
        #expect(solution.toRemove.isEmpty)
        #expect(!solution.records.contains { $0.name.hasPrefix("__") })
    }

    @Test func followsDependenciesTransitivelyAndBacktracks() throws {
        let solution = try solver().solve(specs("faiss-gpu", "python 3.10.*"))
        #expect(solution["faiss-gpu"]?.version == "1.7.2")
        #expect(solution["cudatoolkit"]?.version == "11.8.0")
        #expect(solution["numpy"]?.build == "py310hb13e2d6_0")
        #expect(solution["python_abi"]?.build == "4_cp310")
        // numpy 1.26.4 first tries python 3.11 (higher), then backtracks to the py310 build.
        let order = solution.records.map(\.name)
        #expect(order.firstIndex(of: "python")! < order.firstIndex(of: "numpy")!)
        #expect(order.last == "faiss-gpu")
    }

    @Test func constraintsApplyOnlyToPackagesThatArePresent() throws {
        // python 3.10 constrains python_abi, but nothing requires python_abi here.
        let channel = [
            record("python", "3.10.13", "h_0", constrains: ["python_abi 3.10.* *_cp310"]),
            record("python_abi", "3.11", "4_cp311"),
            record("tool", "1", "0", depends: ["python"]),
            record("abi-user", "1", "0", depends: ["python_abi"]),
        ]
        let solution = try solver([channel]).solve(specs("tool"))
        #expect(solution.records.map(\.name) == ["python", "tool"])
        #expect {
            try solver([channel]).solve(specs("tool", "abi-user"))
        } throws: { error in
            guard case CondaSolverError.noMatch(let requirement, let versions) = error else { return false }
            return requirement.spec.name == "python_abi" && requirement.origin == .constraint(of: "python-3.10.13-h_0")
                && versions == ["3.11"]
        }
    }

    @Test func constraintsSteerTheChoice() throws {
        let channel = [
            record("a", "1", "0", constrains: ["b <2"]),
            record("b", "2", "0"),
            record("b", "1", "0"),
        ]
        let solution = try solver([channel]).solve(specs("a", "b"))
        #expect(solution["b"]?.version == "1")
    }

    @Test func strictChannelPriorityTakesANameOnlyFromTheFirstChannelThatHasIt() throws {
        let pytorchChannel = [
            record("pytorch", "2.1.2", "py3.10_cuda11.8_cudnn8.7.0_0", depends: ["python >=3.10,<3.11.0a0"],
                channel: Self.pytorch),
            record("numpy", "1.20.0", "py310_0", depends: ["python >=3.10,<3.11.0a0"], channel: Self.pytorch),
        ]
        let solution = try solver([pytorchChannel, Self.forgeRecords]).solve(specs("pytorch", "numpy"))
        #expect(solution["pytorch"]?.channel == Self.pytorch)
        // numpy 1.26.4 in conda-forge is higher but pytorch has numpy: strict priority wins.
        #expect(solution["numpy"]?.version == "1.20.0")
        #expect(solution["numpy"]?.channel == Self.pytorch)
        #expect(solution["python"]?.channel == Self.forge)
        #expect {
            try solver([pytorchChannel, Self.forgeRecords]).solve(specs("numpy >=1.21"))
        } throws: { error in
            guard case CondaSolverError.noMatch(_, let versions) = error else { return false }
            return versions == ["1.20.0"]
        }
    }

    @Test func aChannelInTheSpecSelectsAcrossChannels() throws {
        let pytorchChannel = [
            record("numpy", "1.20.0", "py310_0", depends: ["python >=3.10,<3.11.0a0"], channel: Self.pytorch)
        ]
        let solution = try solver([pytorchChannel, Self.forgeRecords]).solve(specs("conda-forge::numpy"))
        #expect(solution["numpy"]?.channel == Self.forge)
        #expect(solution["numpy"]?.version == "1.26.4")
    }

    @Test func keepsInstalledPackagesThatStillFit() throws {
        let installedPython = record("python", "3.10.13", "hd_0_cpython",
            depends: ["libzlib >=1.2.13,<2.0a0", "__glibc >=2.17,<3.0.a0"], constrains: ["python_abi 3.10.* *_cp310"])
        let installedZlib = record("libzlib", "1.2.13", "hd590300_5")
        let solution = try solver(installed: [installedPython, installedZlib]).solve(specs("numpy"))
        #expect(solution["python"]?.version == "3.10.13")
        #expect(solution["libzlib"]?.version == "1.2.13")
        #expect(solution["numpy"]?.build == "py310hb13e2d6_0")
        #expect(Set(solution.toInstall.map(\.name)) == ["numpy", "python_abi"])
        #expect(solution.toRemove.isEmpty)
    }

    @Test func replacesInstalledPackagesThatNoLongerFit() throws {
        let installedPython = record("python", "3.10.13", "hd_0_cpython", constrains: ["python_abi 3.10.* *_cp310"])
        let solution = try solver(installed: [installedPython]).solve(specs("python 3.11.*"))
        #expect(solution["python"]?.version == "3.11.6")
        #expect(solution.toRemove.map(\.distName) == ["python-3.10.13-hd_0_cpython"])
        #expect(solution.toInstall.map(\.name).contains("python"))
    }

    @Test func installedRecordsMissingFromTheChannelsStayCandidates() throws {
        let legacy = record("legacy", "0.1", "0", channel: "https://conda.anaconda.org/gone")
        let solution = try solver(installed: [legacy]).solve(specs("libzlib"))
        #expect(solution["legacy"]?.version == "0.1")
        #expect(solution.toInstall.map(\.name) == ["libzlib"])
    }

    @Test func virtualPackagesResolveDependsButAreNotInstalled() throws {
        let solution = try solver().solve(specs("cudatoolkit"))
        #expect(solution.records.map(\.name) == ["cudatoolkit"])
        #expect {
            try solver(virtuals: [record("__glibc", "2.12", "0", channel: "@")]).solve(specs("cudatoolkit"))
        } throws: { error in
            guard case CondaSolverError.noMatch(let requirement, let versions) = error else { return false }
            return requirement.spec.name == "__glibc" && versions == ["2.12"]
                && "\(error)".contains("`__glibc >=2.17` (required by cudatoolkit-11.8.0-h4ba93d1_12)")
        }
    }

    @Test func missingVirtualPackagePushesTheSolverToAnotherBuild() throws {
        // Without __cuda, faiss-gpu 1.7.2 is impossible; 1.7.1 does not need it.
        let noCuda = Self.virtuals.filter { $0.name != "__cuda" }
        let solution = try solver(virtuals: noCuda).solve(specs("faiss-gpu"))
        #expect(solution["faiss-gpu"]?.version == "1.7.1")
    }

    @Test func reportsASpecNothingProvidesWithTheVersionsSeen() {
        #expect {
            try solver().solve(specs("numpy >=2"))
        } throws: { error in
            guard case CondaSolverError.noMatch(let requirement, let versions) = error else { return false }
            return requirement.origin == .requested && versions == ["1.21.6", "1.26.4"]
                && "\(error)" == "nothing provides `numpy >=2` (requested); versions of numpy available: 1.21.6, 1.26.4"
        }
        #expect {
            try solver().solve(specs("no-such-package"))
        } throws: { error in
            "\(error)" == "nothing provides `no-such-package` (requested): no package named 'no-such-package' in the channels"
        }
    }

    @Test func reportsTheTwoSpecsThatClash() {
        #expect {
            try solver().solve(specs("faiss-gpu=1.7.2", "cudatoolkit=11.1"))
        } throws: { error in
            guard case CondaSolverError.conflict(let first, let second) = error else { return false }
            let names = Set(["\(first)", "\(second)"])
            return names == ["`cudatoolkit=11.1` (requested)", "`cudatoolkit >=11.3` (required by faiss-gpu-1.7.2-py310_h28a55e0_0)"]
        }
        // The same clash whichever spec comes first.
        #expect {
            try solver().solve(specs("cudatoolkit=11.1", "faiss-gpu=1.7.2"))
        } throws: { error in
            guard case CondaSolverError.conflict(let first, let second) = error else { return false }
            return first.spec.name == "cudatoolkit" && second.spec.name == "cudatoolkit"
                && "\(error)".contains("conflicts with")
        }
        #expect {
            try solver().solve(specs("python 3.11.*", "numpy 1.21.*"))
        } throws: { error in
            guard case CondaSolverError.conflict(let first, let second) = error else { return false }
            return Set([first.spec.name, second.spec.name]) == ["python"]
        }
    }

    @Test func reportsInvalidDependencyStrings() {
        let channel = [record("bad", "1", "0", depends: ["other >= = 1"])]
        #expect {
            try solver([channel]).solve(specs("bad"))
        } throws: { error in
            guard case CondaSolverError.invalidDependency(let spec, let dist, _) = error else { return false }
            return spec == "other >= = 1" && dist == "bad-1-0"
        }
    }

    @Test func refusesNameGlobsAndGivesUpAfterTheStepLimit() throws {
        #expect(throws: CondaSolverError.self) { try solver().solve(specs("num*")) }
        let limited = CondaSolver(channels: [Self.forgeRecords], virtualPackages: Self.virtuals, maximumSteps: 2)
        #expect(throws: CondaSolverError.tooManySteps(2)) { try limited.solve(specs("faiss-gpu", "python 3.10.*")) }
    }

    @Test func prefersFewerTrackFeaturesThenHigherBuildNumbers() throws {
        let channel = [
            record("pkg", "1.0", "featured_9", trackFeatures: "debug"),
            record("pkg", "1.0", "plain_1"),
            record("pkg", "1.0", "plain_2"),
            record("pkg", "0.9", "old_5"),
        ]
        #expect(try solver([channel]).solve(specs("pkg"))["pkg"]?.build == "plain_2")
        #expect(try solver([channel]).solve(specs("pkg * featured*"))["pkg"]?.build == "featured_9")
        #expect(try solver([channel]).solve(specs("pkg[build_number=1]"))["pkg"]?.build == "plain_1")
    }

    @Test func buildsOfTheSameVersionFallBackToTimestampThenFileName() throws {
        let channel = [
            record("pkg", "1.0", "a_0", timestamp: 1_000),
            record("pkg", "1.0", "b_0", timestamp: 2_000),
            record("other", "1.0", "b_0"),
            record("other", "1.0", "a_0"),
        ]
        let solution = try solver([channel]).solve(specs("pkg", "other"))
        #expect(solution["pkg"]?.build == "b_0")
        #expect(solution["other"]?.build == "a_0")
    }

    @Test func solvesAnEmptyRequest() throws {
        #expect(try solver().solve([]).records.isEmpty)
    }
}
