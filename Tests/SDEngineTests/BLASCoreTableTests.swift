import Foundation
import Testing

@testable import SDEngine

/// The core table: which OpenBLAS core a CPU's flags allow, how cores rank, when sdtrack
/// corrects OpenBLAS's pick, and how the choice reads.
@Suite struct BLASCoreTableTests {
    static let baseline: Set<String> = ["fpu", "sse", "sse2", "pni"]
    static let haswell = baseline.union(["ssse3", "sse4_1", "sse4_2", "popcnt", "avx", "avx2", "fma"])
    static let avx512 = haswell.union(["avx512f", "avx512cd", "avx512bw", "avx512dq", "avx512vl"])
    /// This machine's AMD EPYC (abridged): AVX-512 with bf16.
    static let epyc = avx512.union(["sse4a", "avx512ifma", "avx512_bf16", "avx512_vnni", "avx512vbmi"])
    static let dynamic = "OpenBLAS 0.3.21 NO_LAPACKE DYNAMIC_ARCH NO_AFFINITY Haswell MAX_THREADS=64"

    @Test func theLadderRanksCoresByCapability() {
        let names = BLASCoreTable.ladder.map(\.name)
        #expect(names == ["Prescott", "Core2", "Nehalem", "Sandybridge", "Haswell", "SkylakeX", "Cooperlake"])
        #expect(names.map { BLASCoreTable.level(of: $0) } == Array(0..<names.count).map(Optional.some))
        // Other names rank with their equivalents; names are case-insensitive, as OpenBLAS reads them.
        #expect(BLASCoreTable.level(of: "Zen") == BLASCoreTable.level(of: "Haswell"))
        #expect(BLASCoreTable.level(of: "Excavator") == BLASCoreTable.level(of: "Haswell"))
        #expect(BLASCoreTable.level(of: "Piledriver") == BLASCoreTable.level(of: "Sandybridge"))
        #expect(BLASCoreTable.level(of: "Barcelona")! < BLASCoreTable.level(of: "Nehalem")!)
        #expect(BLASCoreTable.level(of: "Opteron_SSE3") == 0 && BLASCoreTable.level(of: "katmai") == 0)
        #expect(BLASCoreTable.level(of: "skylakex") == 5 && BLASCoreTable.level(of: "SKYLAKEX") == 5)
        #expect(BLASCoreTable.level(of: "SapphireRapids")! > BLASCoreTable.level(of: "Cooperlake")!)
        #expect(BLASCoreTable.level(of: "Unknown") == nil && BLASCoreTable.level(of: "") == nil)
        // Every name OpenBLAS 0.3.21 can report has a level.
        for name in BLASCoreTable.equivalents.keys { #expect(BLASCoreTable.level(of: name) != nil, "\(name)") }
    }

    @Test func theBestCoreIsTheLastWhoseFlagsAndEveryEarlierOnesAreThere() {
        #expect(BLASCoreTable.best(for: []) == nil)
        #expect(BLASCoreTable.best(for: ["fpu", "sse2"]) == nil)  // not even SSE3: flags not understood
        #expect(BLASCoreTable.best(for: Self.baseline) == "Prescott")
        #expect(BLASCoreTable.best(for: Self.baseline.union(["ssse3"])) == "Core2")
        #expect(BLASCoreTable.best(for: Self.baseline.union(["ssse3", "sse4_1", "sse4_2", "popcnt"])) == "Nehalem")
        #expect(BLASCoreTable.best(for: Self.haswell.subtracting(["fma"])) == "Sandybridge")
        #expect(BLASCoreTable.best(for: Self.haswell) == "Haswell")
        #expect(BLASCoreTable.best(for: Self.avx512) == "SkylakeX")
        #expect(BLASCoreTable.best(for: Self.avx512.subtracting(["avx512vl"])) == "Haswell")
        // A later level's flags without an earlier one's count for nothing.
        #expect(BLASCoreTable.best(for: Self.avx512.subtracting(["ssse3"])) == "Prescott")
        // Cooperlake is never chosen (0.3.21 does not accept its name; no faster, same bits).
        #expect(BLASCoreTable.best(for: Self.epyc) == "SkylakeX")
    }

    @Test func openBLASsPickIsCorrectedOnlyWhenABetterCoreRuns() {
        func correction(_ picked: String, _ flags: Set<String>, _ configuration: String = Self.dynamic) -> String? {
            BLASCoreTable.correction(picked: picked, configuration: configuration, flags: flags)
        }
        #expect(correction("Haswell", Self.epyc) == "SkylakeX")
        #expect(correction("Prescott", Self.avx512) == "SkylakeX")
        #expect(correction("Zen", Self.avx512) == "SkylakeX")
        #expect(correction("Barcelona", Self.epyc) == "SkylakeX")  // an AMD family 0.3.21 does not know
        #expect(correction("Prescott", Self.haswell) == "Haswell")
        // Never sideways or down, never from an unknown name, never without flags.
        #expect(correction("Zen", Self.haswell) == nil)
        #expect(correction("SkylakeX", Self.epyc) == nil)
        #expect(correction("Cooperlake", Self.epyc) == nil)
        #expect(correction("SapphireRapids", Self.epyc) == nil)
        #expect(correction("Unknown", Self.epyc) == nil)
        #expect(correction("Haswell", []) == nil)
        // A build for one core ignores OPENBLAS_CORETYPE: re-executing would change nothing.
        #expect(correction("Haswell", Self.epyc, "OpenBLAS 0.3.21 NO_LAPACKE HASWELL MAX_THREADS=64") == nil)
    }

    @Test func cpuinfoFlagsAreTheFirstProcessorsFlagsLine() throws {
        let cpuinfo = """
            processor\t: 0
            vendor_id\t: AuthenticAMD
            model name\t: AMD EPYC
            flags\t\t: fpu sse2 pni avx2 fma avx512f avx512_bf16
            bugs\t\t: sysret_ss_attrs

            processor\t: 1
            flags\t\t: fpu
            """
        #expect(CPUFlags.parse(cpuinfo) == ["fpu", "sse2", "pni", "avx2", "fma", "avx512f", "avx512_bf16"])
        // An ARM machine lists "Features"; no file, no flags.
        #expect(CPUFlags.parse("processor\t: 0\nFeatures\t: fp asimd evtstrm\n") == [])
        #expect(CPUFlags.read(path: "/nonexistent/cpuinfo") == [])
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(UUID().uuidString)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("cpuinfo")
        try cpuinfo.write(to: file, atomically: true, encoding: .utf8)
        #expect(CPUFlags.read(path: file.path) == CPUFlags.parse(cpuinfo))
        #if os(Linux) && arch(x86_64)
            #expect(CPUFlags.read().contains("sse2"))
        #endif
    }

    @Test func whoChoseTheCore() {
        let flags = Self.avx512
        #expect(BLASCore.choice(coreType: nil, ownCore: nil, running: "Haswell", flags: flags) == .openBLAS)
        // A stale record of OpenBLAS's pick means nothing without OPENBLAS_CORETYPE.
        #expect(BLASCore.choice(coreType: nil, ownCore: "Haswell", running: "Haswell", flags: flags) == .openBLAS)
        #expect(
            BLASCore.choice(coreType: "SkylakeX", ownCore: "Haswell", running: "SkylakeX", flags: flags)
                == .sdtrack(openBLASPicked: "Haswell"))
        // Not what sdtrack would choose, or without sdtrack's record: the user's.
        #expect(
            BLASCore.choice(coreType: "Haswell", ownCore: "Haswell", running: "Haswell", flags: flags)
                == .user(setting: "Haswell"))
        #expect(
            BLASCore.choice(coreType: "SkylakeX", ownCore: nil, running: "SkylakeX", flags: flags)
                == .user(setting: "SkylakeX"))
        #expect(
            BLASCore.choice(coreType: "SkylakeX", ownCore: "", running: "SkylakeX", flags: flags)
                == .user(setting: "SkylakeX"))
    }

    @Test func theChoiceReadsAsOneLine() {
        func line(_ name: String, _ threads: Int, _ choice: BLASCore.Choice, version: String = "0.3.21") -> String {
            BLASCore(name: name, threads: threads, version: version, configuration: "", choice: choice).description
        }
        #expect(
            line("SkylakeX", 2, .sdtrack(openBLASPicked: "Haswell"))
                == "OpenBLAS 0.3.21: core SkylakeX (chosen by sdtrack; OpenBLAS picked Haswell), 2 threads")
        #expect(
            line("Haswell", 1, .user(setting: "haswell"))
                == "OpenBLAS 0.3.21: core Haswell (set by OPENBLAS_CORETYPE), 1 thread")
        #expect(
            line("Cooperlake", 2, .user(setting: "Bogus"))
                == "OpenBLAS 0.3.21: core Cooperlake (OPENBLAS_CORETYPE=Bogus), 2 threads")
        #expect(
            line("Haswell", 4, .openBLAS, version: "") == "OpenBLAS: core Haswell (OpenBLAS's own choice), 4 threads")
    }

    /// This process's kernels: what OpenBLAS reports, with its thread count now.
    @Test func currentIsWhatOpenBLASReports() {
        let current = BLASCore.current
        #expect(current.name == Lapack.coreName && current.threads == Lapack.threads && current.threads >= 1)
        #expect(current.configuration.hasPrefix("OpenBLAS ") && current.configuration.contains(current.version))
        #expect(!current.version.isEmpty)
    }
}
