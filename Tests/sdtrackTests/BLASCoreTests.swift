import Foundation
import SDJSON
import SDStore
import SDTestSupport
import Testing

/// Which OpenBLAS kernels sdtrack runs: the best the CPU supports unless the user says otherwise
/// (OPENBLAS_CORETYPE), shown by `--version` and recorded with every run.
///
/// OpenBLAS says "Core: NAME" on standard error each time it loads when OPENBLAS_VERBOSE=2: one
/// line per process image, so a re-execution shows as two, the first being OpenBLAS's own pick.
@Suite struct BLASCoreTests {
    static let variables = ["OPENBLAS_CORETYPE", "SDTRACK_OPENBLAS_OWN_CORE", "OPENBLAS_VERBOSE"]

    /// The CPU's flags, read here independently of sdtrack's reader.
    static let flags: Set<String> = {
        guard let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
            let line = text.split(separator: "\n").first(where: { $0.hasPrefix("flags") }),
            let colon = line.firstIndex(of: ":")
        else { return [] }
        return Set(line[line.index(after: colon)...].split(separator: " ").map(String.init))
    }()

    /// The best core for `flags`, by the rule the README states: SkylakeX with AVX-512 (F, CD, BW,
    /// DQ, VL), Haswell with AVX2 and FMA, ...; nil without SSE3 or off x86-64.
    static func expectedCore(_ flags: Set<String>) -> String? {
        #if arch(x86_64)
            let steps: [(String, Set<String>)] = [
                ("Prescott", ["sse2", "pni"]), ("Core2", ["ssse3"]), ("Nehalem", ["sse4_1", "sse4_2", "popcnt"]),
                ("Sandybridge", ["avx"]), ("Haswell", ["avx2", "fma"]),
                ("SkylakeX", ["avx512f", "avx512cd", "avx512bw", "avx512dq", "avx512vl"]),
            ]
            var best: String?
            var needed = Set<String>()
            for (name, more) in steps {
                needed.formUnion(more)
                if !needed.isSubset(of: flags) { break }
                best = name
            }
            return best
        #else
            return nil
        #endif
    }

    /// How capable a core OpenBLAS may pick is, for "not worse than" (Zen is Haswell's level).
    static let rank: [String: Int] = [
        "Prescott": 0, "Core2": 1, "Penryn": 1, "Dunnington": 1, "Atom": 1, "Barcelona": 1, "Bobcat": 1,
        "Nehalem": 2, "Sandybridge": 3, "Bulldozer": 3, "Piledriver": 3, "Steamroller": 3,
        "Haswell": 4, "Zen": 4, "Excavator": 4, "SkylakeX": 5, "Cooperlake": 6, "SapphireRapids": 7,
    ]

    /// `--version` with `environment` (and none of `variables` otherwise): its BLAS line and the
    /// cores OpenBLAS loaded with, in order.
    static func version(_ environment: [String: String]) throws -> (line: String, loads: [String]) {
        let result = try sdtrack(
            ["--version"], environment: environment.merging(["OPENBLAS_VERBOSE": "2"]) { $1 }, unset: variables)
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 2 && lines.first == sdtrackVersion, "\(result.stdout)")
        let loads = result.stderr.split(separator: "\n").filter { $0.hasPrefix("Core: ") }.map {
            String($0.dropFirst(6))
        }
        return (lines.count == 2 ? lines[1] : "", loads)
    }

    /// Without OPENBLAS_CORETYPE: the best core the CPU supports, chosen by sdtrack when OpenBLAS
    /// picked worse (one re-execution), else OpenBLAS's own choice, which is then no worse.
    @Test func withoutOPENBLAS_CORETYPETheBestCoreRuns() throws {
        let (line, loads) = try Self.version([:])
        #expect(line.hasPrefix("OpenBLAS "), "\(line)")
        #expect(loads.count <= 2, "\(loads)")
        if loads.count == 2 {
            let expected = try #require(Self.expectedCore(Self.flags))
            #expect(loads[1] == expected)
            #expect(line.contains(": core \(expected) (chosen by sdtrack; OpenBLAS picked \(loads[0])), "), "\(line)")
            #expect(Self.rank[loads[0]] ?? -1 < Self.rank[expected]!, "\(loads)")
        } else {
            #expect(line.contains(" (OpenBLAS's own choice), "), "\(line)")
            if let own = loads.first, let expected = Self.expectedCore(Self.flags) {
                let ownRank = try #require(Self.rank[own], "OpenBLAS picked \(own), which this test does not rank")
                #expect(ownRank >= Self.rank[expected]!, "OpenBLAS picked \(own), the CPU runs \(expected)")
                #expect(line.contains(": core \(own) ("), "\(line)")
            }
        }
    }

    /// The user's OPENBLAS_CORETYPE runs as given, and nothing re-executes.
    @Test func theUsersOPENBLAS_CORETYPEWinsWithoutReExecution() throws {
        let core = Self.flags.isSuperset(of: ["avx2", "fma"]) ? "Haswell" : "Prescott"
        let (line, loads) = try Self.version(["OPENBLAS_CORETYPE": core])
        #expect(line.contains(": core \(core) (set by OPENBLAS_CORETYPE), "), "\(line)")
        #if os(Linux) && arch(x86_64)
            #expect(loads == [core])
        #endif
    }

    /// The image sdtrack re-executed says so, with the core OpenBLAS had picked.
    @Test func aReExecutedProcessSaysSdtrackChoseItsCore() throws {
        let expected = try #require(Self.expectedCore(Self.flags), "no x86-64 flags to choose from")
        let (line, loads) = try Self.version(["OPENBLAS_CORETYPE": expected, "SDTRACK_OPENBLAS_OWN_CORE": "Prescott"])
        #expect(line.contains(": core \(expected) (chosen by sdtrack; OpenBLAS picked Prescott), "), "\(line)")
        #expect(loads == [expected])
    }

    /// A recorded run carries the core and thread count it ran with; a sweep's runs, their job's
    /// share of the cores.
    @Test func aRecordedRunCarriesItsCoreAndThreads() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let version = try sdtrack(["--version"], in: folder).stdout.split(separator: "\n").map(String.init)
        let described = try #require(version.last?.split(separator: " ").map(String.init))
        // "OpenBLAS 0.3.21: core NAME (...), N threads"
        let core = try #require(described.firstIndex(of: "core").map { described[$0 + 1] })
        let threads = try #require(Int(described[described.count - 2]))
        let ran = try sdtrack(["run", "--data", "toy", "--eps-rel", "0.1", "--db", "runs.db", "--json"], in: folder)
        #expect(ran.status == 0, "\(ran.stderr)")
        let id = try #require(JSONValue.parse(ran.stdout)?["run_id"]?.stringValue)
        let shown = try sdtrack(["runs", "show", id, "--db", "runs.db", "--json"], in: folder)
        let record = try #require(JSONValue.parse(shown.stdout), "\(shown.stderr)")
        #expect(record["blas_core"]?.stringValue == core && record["blas_threads"]?.intValue == threads)
        let page = try sdtrack(["runs", "show", id, "--db", "runs.db"], in: folder).stdout
        #expect(page.contains("\nblas        OpenBLAS core \(core), \(threads) thread"), "\(page)")

        let sweep = try sdtrack(
            [
                "sweep", "--data", "sine", "--n", "30", "--eps-rel", "0.1", "--seed", "0..1", "--jobs", "2",
                "--db", "sweep.db",
            ], in: folder)
        #expect(sweep.status == 0, "\(sweep.stderr)")
        let runs = try RunStore(path: folder.appendingPathComponent("sweep.db").path, create: false).runs()
        let share = max(1, ProcessInfo.processInfo.activeProcessorCount / 2)
        #expect(runs.count == 2 && runs.allSatisfy { $0.summary.blasCore == core && $0.summary.blasThreads == share })
    }
}
