import Foundation

/// Which OpenBLAS kernels run, who chose them, and on how many threads.
///
/// OpenBLAS built with DYNAMIC_ARCH (Debian's) picks a core type when the library loads, from
/// the CPU's vendor, family and model, and 0.3.21 can pick far below what a CPU newer than
/// itself runs (Prescott, SSE3 only, on Xeons with AVX-512); LAPACK then runs 1.3x slower or
/// worse. The core is chosen before main runs, so the only way to change it is
/// OPENBLAS_CORETYPE in the environment of a new process image: `correctIfNeeded()`, first
/// thing in main, re-executes the process with OPENBLAS_CORETYPE set to the best core the CPU's
/// flags allow (`BLASCoreTable`) when OpenBLAS picked a worse one. A user's OPENBLAS_CORETYPE
/// always wins.
public struct BLASCore: Sendable, Equatable, CustomStringConvertible {
    /// Who chose the core.
    public enum Choice: Sendable, Equatable {
        /// OpenBLAS, when it loaded (no OPENBLAS_CORETYPE).
        case openBLAS
        /// sdtrack (`correctIfNeeded`); OpenBLAS had picked `openBLASPicked`.
        case sdtrack(openBLASPicked: String)
        /// The user, by OPENBLAS_CORETYPE (its value as given).
        case user(setting: String)
    }

    /// The core type whose kernels run: "SkylakeX", "Haswell", ... (OPENBLAS_CORETYPE's names).
    public let name: String
    /// OpenBLAS's thread count when `current` was read.
    public let threads: Int
    /// "0.3.21"; empty when the configuration does not start with "OpenBLAS <version>".
    public let version: String
    /// OpenBLAS's build configuration: "OpenBLAS 0.3.21 NO_LAPACKE DYNAMIC_ARCH ... MAX_THREADS=64".
    public let configuration: String
    public let choice: Choice

    /// The environment variable OpenBLAS reads when it loads.
    public static let coreTypeVariable = "OPENBLAS_CORETYPE"
    /// Set with OPENBLAS_CORETYPE when sdtrack re-executes itself: the core OpenBLAS had picked,
    /// so that the new image can say so (and a benchmark can ask for OpenBLAS's own choice).
    public static let ownCoreVariable = "SDTRACK_OPENBLAS_OWN_CORE"

    /// The kernels of this process, with OpenBLAS's thread count now.
    public static var current: BLASCore {
        let fixed = loaded
        return BLASCore(
            name: fixed.name, threads: Lapack.threads, version: fixed.version, configuration: fixed.configuration,
            choice: fixed.choice)
    }

    /// "OpenBLAS 0.3.21: core SkylakeX (chosen by sdtrack; OpenBLAS picked Haswell), 2 threads".
    public var description: String {
        let who: String
        switch choice {
        case .openBLAS: who = "OpenBLAS's own choice"
        case .sdtrack(let picked): who = "chosen by sdtrack; OpenBLAS picked \(picked)"
        case .user(let setting):
            who =
                setting.caseInsensitiveCompare(name) == .orderedSame
                ? "set by \(Self.coreTypeVariable)" : "\(Self.coreTypeVariable)=\(setting)"
        }
        let library = version.isEmpty ? "OpenBLAS" : "OpenBLAS \(version)"
        return "\(library): core \(name) (\(who)), \(threads) thread\(threads == 1 ? "" : "s")"
    }

    /// What cannot change while the process runs: read once.
    private static let loaded: BLASCore = {
        let name = Lapack.coreName, configuration = Lapack.configuration
        let words = configuration.split(separator: " ")
        let version = words.count > 1 && words[0] == "OpenBLAS" ? String(words[1]) : ""
        let choice = Self.choice(
            coreType: environment(coreTypeVariable), ownCore: environment(ownCoreVariable), running: name,
            flags: CPUFlags.read())
        return BLASCore(name: name, threads: 0, version: version, configuration: configuration, choice: choice)
    }()

    /// Who chose `running`: the user when OPENBLAS_CORETYPE is set, unless it is what sdtrack
    /// chooses for `flags` (read only then) and came with sdtrack's record of OpenBLAS's pick.
    public static func choice(
        coreType: String?, ownCore: String?, running: String, flags: @autoclosure () -> Set<String>
    ) -> Choice {
        guard let coreType else { return .openBLAS }
        if let ownCore, !ownCore.isEmpty, let best = BLASCoreTable.best(for: flags()),
            best.caseInsensitiveCompare(coreType) == .orderedSame,
            running.caseInsensitiveCompare(best) == .orderedSame
        {
            return .sdtrack(openBLASPicked: ownCore)
        }
        return .user(setting: coreType)
    }

    /// Re-executes this process (/proc/self/exe, the same arguments) with OPENBLAS_CORETYPE set
    /// to a better core when OpenBLAS picked a worse one than the CPU supports, and
    /// SDTRACK_OPENBLAS_OWN_CORE to OpenBLAS's pick. Call it first thing in main, before any
    /// thread or output. Nothing happens when OPENBLAS_CORETYPE is set (by the user, or by this
    /// correction: it never loops), when OpenBLAS was built for one core (no DYNAMIC_ARCH), or
    /// when the CPU's flags are unknown. If the re-execution fails the process goes on unchanged.
    public static func correctIfNeeded() {
        #if os(Linux) && arch(x86_64)
            guard getenv(coreTypeVariable) == nil else { return }
            let picked = Lapack.coreName
            guard
                let better = BLASCoreTable.correction(
                    picked: picked, configuration: Lapack.configuration, flags: CPUFlags.read())
            else { return }
            setenv(coreTypeVariable, better, 1)
            setenv(ownCoreVariable, picked, 1)
            execv("/proc/self/exe", CommandLine.unsafeArgv)
            // Still here: the exec failed. OpenBLAS keeps its pick; so must the environment.
            unsetenv(coreTypeVariable)
            unsetenv(ownCoreVariable)
        #endif
    }

    private static func environment(_ name: String) -> String? {
        getenv(name).map { String(cString: $0) }
    }
}

/// OpenBLAS 0.3.21's x86-64 core types: which the CPU can run, and which is best.
///
/// Debian's OpenBLAS 0.3.21 accepts these names in OPENBLAS_CORETYPE (case-insensitive):
/// Katmai, Coppermine, Northwood, Prescott, Banias, Atom, Core2, Penryn, Dunnington, Nehalem,
/// Athlon, Opteron, Opteron_SSE3, Barcelona, Nano, Sandybridge, Bobcat, Bulldozer, Piledriver,
/// Haswell, Steamroller, Excavator, Zen, SkylakeX (driver/others/dynamic.c). Any other name,
/// Cooperlake included, makes it fall back to the best its own flag checks allow (Cooperlake,
/// SkylakeX, Haswell, Sandybridge or Prescott). SapphireRapids came with 0.3.22.
public enum BLASCoreTable {
    /// A core type and the CPU flags (as /proc/cpuinfo names them) its kernels need beyond the
    /// previous entry's.
    public struct Entry: Sendable, Equatable {
        public let name: String
        public let flags: [String]
        /// Whether sdtrack switches to it.
        public let chosen: Bool
    }

    /// The core types in order of capability; each needs its flags and every earlier entry's.
    ///
    /// Cooperlake is SkylakeX with bf16 kernels, which sdtrack does not call. It is not chosen:
    /// 0.3.21 does not accept its own name in OPENBLAS_CORETYPE ("Core not found: Cooperlake",
    /// then its fallback by flags), and on an AMD EPYC with avx512_bf16 dsyevr and dsytrd at
    /// K = 2000 ran as fast with SkylakeX and computed the same eigenvalues and eigenvectors bit
    /// for bit (README, Benchmarks). Where OpenBLAS picks Cooperlake itself, it stays.
    public static let ladder: [Entry] = [
        Entry(name: "Prescott", flags: ["sse2", "pni"], chosen: true),  // pni: SSE3
        Entry(name: "Core2", flags: ["ssse3"], chosen: true),
        Entry(name: "Nehalem", flags: ["sse4_1", "sse4_2", "popcnt"], chosen: true),
        Entry(name: "Sandybridge", flags: ["avx"], chosen: true),
        Entry(name: "Haswell", flags: ["avx2", "fma"], chosen: true),
        Entry(name: "SkylakeX", flags: ["avx512f", "avx512cd", "avx512bw", "avx512dq", "avx512vl"], chosen: true),
        Entry(name: "Cooperlake", flags: ["avx512_bf16"], chosen: false),
    ]

    /// Every other core type OpenBLAS may report, and the ladder entry whose level it has: the
    /// 32-bit cores (a 64-bit OpenBLAS runs Prescott's kernels for them), AMD's and VIA's.
    static let equivalents: [String: String] = [
        "Katmai": "Prescott", "Coppermine": "Prescott", "Northwood": "Prescott", "Banias": "Prescott",
        "Athlon": "Prescott", "Opteron": "Prescott", "Opteron_SSE3": "Prescott",
        "Atom": "Core2", "Penryn": "Core2", "Dunnington": "Core2", "Nano": "Core2", "Bobcat": "Core2",
        "Barcelona": "Core2",
        "Bulldozer": "Sandybridge", "Piledriver": "Sandybridge", "Steamroller": "Sandybridge",
        "Excavator": "Haswell", "Zen": "Haswell",
    ]

    /// A core's capability: its ladder position (or its equivalent's); SapphireRapids (0.3.22 on)
    /// above the ladder; nil for a name this table does not know, which is never corrected.
    public static func level(of name: String) -> Int? {
        let key = name.lowercased()
        if let index = ladder.firstIndex(where: { $0.name.lowercased() == key }) { return index }
        if let equivalent = equivalents.first(where: { $0.key.lowercased() == key })?.value {
            return level(of: equivalent)
        }
        return key == "sapphirerapids" ? ladder.count : nil
    }

    /// The last ladder entry whose flags, and every earlier entry's, `flags` has; nil when it has
    /// not even Prescott's (flags unknown).
    public static func best(for flags: Set<String>) -> String? {
        var needed = Set<String>(), best: String?
        for entry in ladder {
            needed.formUnion(entry.flags)
            guard needed.isSubset(of: flags) else { break }
            if entry.chosen { best = entry.name }
        }
        return best
    }

    /// The core to switch to when OpenBLAS picked `picked`: the best for `flags` when it ranks
    /// above `picked` and the build (`configuration`, openblas_get_config()) can switch cores.
    public static func correction(picked: String, configuration: String, flags: Set<String>) -> String? {
        guard configuration.split(separator: " ").contains("DYNAMIC_ARCH"),
            let pickedLevel = level(of: picked), let best = best(for: flags), let bestLevel = level(of: best),
            bestLevel > pickedLevel
        else { return nil }
        return best
    }
}

/// The CPU's feature flags, as Linux lists them in /proc/cpuinfo.
public enum CPUFlags {
    /// The `flags` of the first processor in `path`; empty when it cannot be read or has no such
    /// line (not Linux; not x86, whose lines say `Features`).
    public static func read(path: String = "/proc/cpuinfo") -> Set<String> {
        guard let file = fopen(path, "r") else { return [] }
        defer { fclose(file) }
        var buffer: UnsafeMutablePointer<CChar>?
        var capacity = 0
        defer { free(buffer) }
        while getline(&buffer, &capacity, file) > 0, let buffer {
            if let flags = flags(inLine: String(cString: buffer)) { return flags }
        }
        return []
    }

    /// The flags of the first `flags` line of a /proc/cpuinfo text.
    public static func parse(_ cpuinfo: String) -> Set<String> {
        for line in cpuinfo.split(separator: "\n") {
            if let flags = flags(inLine: String(line)) { return flags }
        }
        return []
    }

    /// "flags\t\t: fpu vme avx2 ..." -> its flags; nil for any other line.
    static func flags(inLine line: String) -> Set<String>? {
        guard let colon = line.firstIndex(of: ":"),
            line[..<colon].trimmingCharacters(in: .whitespaces) == "flags"
        else { return nil }
        return Set(
            line[line.index(after: colon)...].split(whereSeparator: { $0 == " " || $0 == "\n" }).map(String.init))
    }
}
