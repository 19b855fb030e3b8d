import SDJSON
import SDStore
import SDTestSupport
import Testing

/// SDStore's tag, not Swift Testing's.
typealias Tag = SDStore.Tag

/// The smallest subnormal double, 5e-324 (a literal of it draws an underflow warning).
let subnormal = Double.leastNonzeroMagnitude

// Small builders for whole runs, written through SDStore's public API only.

/// Doubles whose text is easy to get wrong: signed zero, the smallest subnormal, huge and
/// tiny magnitudes, and a sum that is not its decimal look-alike (0.1 + 0.2).
let awkwardDoubles: [Double] = [
    -0.0, subnormal, 1e300, 0.1 + 0.2, -1e-300, .greatestFiniteMagnitude, -.leastNormalMagnitude, 1.0 / 3, 80, -7,
]

/// A finite double with random bits: every exponent and mantissa pattern is as likely.
func randomFiniteDouble(_ random: inout TestRandom) -> Double {
    var value = Double(bitPattern: random.next())
    while !value.isFinite { value = Double(bitPattern: random.next()) }
    return value
}

let fixedTime = Timestamp(millisecondsSince1970: 1_795_000_000_123)

/// A run with every field of `RunField.all` set (`full`), or only the required ones.
func documentRun(id: String, status: RunStatus, source: RunSource, full: Bool, roundCount: Int) -> RunRecord {
    guard full else {
        var run = RunRecord(
            id: id, experiment: "", status: status, source: source, createdAt: fixedTime, host: "",
            pid: nil, sdtrackVersion: "", configJSON: "{}", config: RunConfig())
        run.roundCount = roundCount
        return run
    }
    var config = RunConfig()
    config.dataset = "toy"
    config.dataSHA256 = String(repeating: "ab", count: 32)
    config.k = 11
    config.testSize = 5
    config.kernel = "rbf"
    config.gamma = 80
    config.lengthScale = 0.1 + 0.2
    config.degree = 3
    config.coef0 = -0.0
    config.depth = 2
    config.mode = "eps"
    config.eps = subnormal
    config.c = 1e300
    config.seed = -3
    config.noise = 0.01
    var run = RunRecord(
        id: id, experiment: "full \"quoted\" é", status: status, source: source, createdAt: fixedTime,
        host: "host-a", pid: 4242, sdtrackVersion: "0.3.0",
        configJSON: #"{"dataset":"toy","gamma":80,"kernel":{"name":"rbf","gamma":0.30000000000000004},"#
            + #""text":"a \"quote\" and a \\ backslash","list":[1,-0.0,null,true]}"#,
        config: config, note: "line one\nline two\ttab",
        tags: [
            Tag(key: "sweep", value: "eps"), Tag(key: "who.name_x-1", value: ""),
            Tag(key: "a", value: "x=y \"z\""),
        ])
    run.startedAt = fixedTime.adding(seconds: 1)
    run.endedAt = fixedTime.adding(seconds: 60.5)
    run.heartbeatAt = fixedTime.adding(seconds: 30)
    run.labelsEditedAt = fixedTime.adding(seconds: 90.25)
    run.error = "eps 0.01 is infeasible"
    run.summary.r0 = 3.5
    run.summary.kappa = 1e300
    run.summary.collapseRound = 7
    run.summary.boundLower = 2
    run.summary.boundUpper = 9
    run.summary.boundsHeld = true
    run.summary.checksHeld = false
    run.summary.warning = "eps is within 0.01% of the smallest feasible eps"
    run.summary.solver = "low-rank"
    run.summary.solverRank = 23
    run.summary.solverErrorBound = 3.5e-17
    run.summary.cSensitivity = 1.25e-9
    run.summary.blasCore = "SkylakeX"
    run.summary.blasThreads = 2
    run.zeroPredictor = ZeroPredictorErrors(trainMSE: 0.1 + 0.2, testMSE: -0.0, truthMSE: subnormal)
    run.roundCount = roundCount
    return run
}

/// Rounds with gaps in t: one with every `RoundMetric` and extra metrics, some with a few
/// metrics missing, one with none, then `randomCount` rounds of random doubles.
func documentRounds(_ random: inout TestRandom, randomCount: Int) -> [RoundRecord] {
    var every = RoundRecord(t: 0)
    for (index, metric) in RoundMetric.allCases.enumerated() {
        every[metric] = awkwardDoubles[index % awkwardDoubles.count]
    }
    every.extra = ["accuracy": 0.912, "loss \"val\"": -0.0, "λ": subnormal, "zz": 1e300]
    var rounds = [
        every,
        RoundRecord(t: 1, testMSE: 0.1 + 0.2),
        RoundRecord(t: 4, c: -1e300, gcv: subnormal, extra: ["accuracy": 1]),
        RoundRecord(t: 9),
    ]
    for index in 0..<randomCount {
        var round = RoundRecord(t: 10 + 3 * index)
        for metric in RoundMetric.allCases where random.next() % 3 != 0 { round[metric] = randomFiniteDouble(&random) }
        if random.next() % 2 == 0 { round.extra["accuracy"] = randomFiniteDouble(&random) }
        rounds.append(round)
    }
    return rounds
}

/// A spectrum holding every awkward double and `randomCount` random ones.
func documentSpectrum(_ random: inout TestRandom, randomCount: Int) -> SpectrumRecord {
    var d = awkwardDoubles, z0 = awkwardDoubles.reversed().map { -$0 }
    for _ in 0..<randomCount {
        d.append(randomFiniteDouble(&random))
        z0.append(randomFiniteDouble(&random))
    }
    return SpectrumRecord(d: d, z0: z0, zeroTolerance: 2.220446049250313e-14)
}

/// Checks that `read` holds exactly what `written` held: every field (reals bit for bit),
/// the configuration text, tags, every round and the spectrum bit for bit.
func expectIdentical(_ read: CompleteRun, _ written: CompleteRun, sourceLocation: SourceLocation = #_sourceLocation) {
    for field in RunField.all {
        let a = field.value(of: read.run), b = field.value(of: written.run)
        #expect(
            a == b && a?.real?.bitPattern == b?.real?.bitPattern,
            "\(field.name): read \(String(describing: a)), wrote \(String(describing: b))",
            sourceLocation: sourceLocation)
    }
    #expect(read.run == written.run, sourceLocation: sourceLocation)
    #expect(read.run.configJSON == written.run.configJSON, sourceLocation: sourceLocation)
    #expect(read.run.tags == written.run.tags, sourceLocation: sourceLocation)
    #expect(read.provenance == .recorded, sourceLocation: sourceLocation)
    #expect(read.rounds.count == written.rounds.count, sourceLocation: sourceLocation)
    for (a, b) in zip(read.rounds, written.rounds) {
        #expect(a.isIdentical(to: b), "round t = \(b.t): read \(a)", sourceLocation: sourceLocation)
    }
    switch (read.spectrum, written.spectrum) {
    case (nil, nil): break
    case (let a?, let b?): #expect(a.isIdentical(to: b), "the spectrum", sourceLocation: sourceLocation)
    default: Issue.record("read spectrum \(String(describing: read.spectrum))", sourceLocation: sourceLocation)
    }
}

/// The member names of an object, in order; [] for other values.
func keys(_ value: JSONValue) -> [String] {
    guard case .object(let members) = value else { return [] }
    return members.map(\.0)
}
