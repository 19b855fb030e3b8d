import Foundation
import SDDocuments
import SDJSON
import SDStore

/// A collection server as `sdtrack serve` runs it (the built `sdtrack-server`, a process of its own, over
/// `team.db` in a temporary folder), a token of each kind, and `sdtrack` run against it with a clean
/// environment: HOME in the folder (no credentials file), the token in SDTRACK_TOKEN, no proxy variables.
struct SyncWorld: Sendable {
    let folder: URL
    let serverDB: String
    let server: ServerProcess
    /// read,push; push alone; read alone.
    let token: String
    let pushToken: String
    let readToken: String

    /// The environment `sdtrack` runs with: `token` (default: read,push) in SDTRACK_TOKEN.
    func environment(token: String? = nil) -> [String: String] {
        [
            "PATH": "/usr/bin:/bin", "HOME": folder.path, "LANG": "C.UTF-8",
            "SDTRACK_TOKEN": token ?? self.token,
        ]
    }

    /// Runs `sdtrack arguments...` to its end, in the folder.
    func sdtrack(_ arguments: [String], token: String? = nil) async throws -> CommandResult {
        try await runChild(try sdtrackBinary(), arguments, environment: environment(token: token), folder: folder)
    }

    /// Starts `sdtrack arguments...`.
    func start(_ arguments: [String], token: String? = nil) throws -> ChildProcess {
        try ChildProcess(try sdtrackBinary(), arguments, environment: environment(token: token), folder: folder)
    }

    /// A path in the folder.
    func path(_ name: String) -> String { folder.appendingPathComponent(name).path }

    /// A client database `name` holding `runs`, with the remote `team` at `url` (default: the server's).
    func clientDatabase(_ name: String, runs: [CompleteRun], url: String? = nil) async throws -> String {
        let db = path(name)
        do {
            let store = try RunStore(path: db, create: true)
            try store.importRuns(runs)
        }
        let added = try await sdtrack(["remote", "add", "team", url ?? server.url, "--db", db])
        guard added.status == 0 else { throw TestFailure("remote add: \(added.stderr)") }
        return db
    }

    /// `sdtrack sync --json ...` of `db`: its exit status, summary (nil unless it printed one) and output.
    func sync(_ db: String, _ options: [String] = [], token: String? = nil) async throws -> SyncRun {
        SyncRun(try await sdtrack(["sync", "--db", db, "--json"] + options, token: token))
    }
}

/// A finished `sdtrack sync --json`.
struct SyncRun: CustomStringConvertible {
    let result: CommandResult
    let summary: JSONValue?

    init(_ result: CommandResult) {
        self.result = result
        summary = JSONValue.parse(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    var status: Int32 { result.status }
    /// A count of the summary: `inserted`, `unchanged`, `batches`, ...; `pending.total` for `pending`.
    func count(_ key: String) -> Int? { summary?[key]?.intValue }
    func pending(_ key: String) -> Int? { summary?["pending"]?[key]?.intValue }

    var description: String { "exit \(result.status)\nstdout: \(result.stdout)\nstderr: \(result.stderr)" }
}

/// Runs `body` with a running server and its tokens; stops the server (and removes the folder) after it.
func withSyncWorld(_ body: (SyncWorld) async throws -> Void) async throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let serverDB = folder.appendingPathComponent("team.db").path
    var tokens = [String]()
    for scope in ["read,push", "push", "read"] {
        let created = try await runChild(
            try serverBinary(), ["token", "create", "--db", serverDB, "--name", "test-\(scope)", "--scope", scope],
            folder: folder)
        guard created.status == 0 else { throw TestFailure("token create: \(created.stderr)") }
        tokens.append(created.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
    }
    let server = try await ServerProcess(db: serverDB, folder: folder)
    let world = SyncWorld(
        folder: folder, serverDB: serverDB, server: server, token: tokens[0], pushToken: tokens[1],
        readToken: tokens[2])
    do {
        try await body(world)
    } catch {
        await server.stop()
        throw error
    }
    await server.stop()
}

/// Every run of the database at `path`, as `sdtrack runs export` of all of them prints it (in order of ID).
func exportedRuns(_ path: String) throws -> String {
    let store = try RunStore(path: path, create: false)
    let ids = try store.runs().map(\.id).sorted()
    return RunDocument.export(try store.completeRuns(ids: ids)).serialized()
}

/// The IDs of the database's runs, sorted.
func runIDs(_ path: String) throws -> [String] {
    try RunStore(path: path, create: false).runs().map(\.id).sorted()
}

/// The database's runs with these IDs, as exported.
func exportedRuns(_ path: String, ids: [String]) throws -> String {
    RunDocument.export(try RunStore(path: path, create: false).completeRuns(ids: ids.sorted())).serialized()
}

/// Runs as a sweep records them, made up fast: `count` finished runs with `rounds` rounds of arbitrary
/// doubles and a spectrum of `k` eigenvalues (with -0, the smallest subnormal and the largest double among
/// the coefficients, which only a bit-for-bit transport keeps). Deterministic for a `seed`, but with new
/// run IDs each call.
func syntheticRuns(count: Int, k: Int = 500, rounds: Int = 20, seed: UInt64 = 1) -> [CompleteRun] {
    var random = SplitMix(seed: seed)
    let base: Int64 = 1_780_000_000_000 + Int64(seed % 1000) * 10_000_000
    return (0..<count).map { index in
        let created = Timestamp(millisecondsSince1970: base + Int64(index) * 1000 + Int64(random.next() % 997))
        let gamma = 0.5 + random.unit() * 100
        var config = RunConfig()
        config.dataset = "sine"
        config.k = k
        config.kernel = "rbf"
        config.gamma = gamma
        config.mode = "eps"
        config.eps = 0.01 + random.unit() / 10
        config.seed = index
        config.noise = 0.3
        let configJSON =
            #"{"dataset":"sine","eps":\#(config.eps!),"kernel":{"gamma":\#(gamma),"name":"rbf"},"mode":"eps","#
            + #""n":\#(k),"noise":0.3,"seed":\#(index)}"#
        var run = RunRecord(
            id: random.uuid(), experiment: "sweep-\(index % 3)", status: .finished, source: .sdtrack,
            createdAt: created, host: "node-\(index % 4)", pid: 1000 + index, sdtrackVersion: "0.4.0",
            configJSON: configJSON, config: config, note: index % 7 == 0 ? "note \(index)" : nil,
            tags: [Tag(key: "sweep", value: "s\(index % 5)"), Tag(key: "batch", value: "\(seed)")])
        run.startedAt = created.adding(seconds: 0.5)
        run.endedAt = created.adding(seconds: 30)
        run.heartbeatAt = run.endedAt
        run.summary.r0 = 1 + random.unit() * 50
        run.summary.kappa = 1e6 * random.unit()
        run.summary.boundLower = 3
        run.summary.boundUpper = 900
        run.summary.boundsHeld = true
        run.summary.checksHeld = index % 11 != 0
        run.zeroPredictor = ZeroPredictorErrors(trainMSE: random.unit(), truthMSE: random.unit())
        let roundRecords = (0..<rounds).map { t in
            RoundRecord(
                t: t, c: random.unit() / 100, r: 50 / Double(t + 1), targetNorm: random.unit() * 10,
                trainMSE: random.unit(), targetMSE: random.unit(), truthMSE: random.unit(), df: random.unit() * 100,
                gcv: random.unit(), rkhsNorm: random.unit() * 3)
        }
        var d = (0..<k).map { _ in random.unit() * 1000 }.sorted(by: >)
        d[k - 1] = 0
        var z0 = (0..<k).map { _ in random.unit() * 2 - 1 }
        z0[0] = -0.0
        z0[1] = Double.leastNonzeroMagnitude
        z0[2] = Double.greatestFiniteMagnitude
        z0[3] = 0.1 + 0.2
        return CompleteRun(
            run: run, rounds: roundRecords, spectrum: SpectrumRecord(d: d, z0: z0, zeroTolerance: 1e-12 * d[0]))
    }
}

/// A small deterministic generator (SplitMix64).
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed &* 0x9E37_79B9_7F4A_7C15 &+ 0x1234_5678 }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// In [0, 1), with all 53 bits.
    mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }

    /// A lower-case UUID, fresh each call (not from the seed: runs of two calls never share an ID).
    mutating func uuid() -> String { UUID().uuidString.lowercased() }
}
