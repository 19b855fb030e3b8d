import ArgumentParser
import SDEngine

/// How c_t is chosen and how many rounds run.
struct ModeOptions: ParsableArguments {
    @Option(help: "The paper's mode: each round's fit has training loss exactly eps (> 0).")
    var eps: Double?

    @Option(help: "eps relative to the labels: eps = R * mean(y^2) (> 0).")
    var epsRel: Double?

    @Option(help: "The same ridge constant c every round (> 0; scikit-learn's alpha = K * c).")
    var fixedC: Double?

    @Option(help: "The most rounds to run (>= 1; default: until the run collapses, at most \(DistillationSettings.defaultMaxRounds)).")
    var rounds: Int?

    static let defaultEpsRel = 0.05

    func validate() throws {
        let given = [eps, epsRel, fixedC].compactMap { $0 }
        if given.count > 1 { throw ValidationError("--eps, --eps-rel and --fixed-c choose the mode; give one") }
        if let eps, !(eps > 0 && eps.isFinite) { throw ValidationError("--eps must be positive, got \(eps)") }
        if let epsRel, !(epsRel > 0 && epsRel.isFinite) { throw ValidationError("--eps-rel must be positive, got \(epsRel)") }
        if let fixedC, !(fixedC > 0 && fixedC.isFinite) { throw ValidationError("--fixed-c must be positive, got \(fixedC)") }
        if let rounds, rounds < 1 { throw ValidationError("--rounds must be at least 1, got \(rounds)") }
    }

    var mode: DistillationMode {
        if let eps { return .eps(eps) }
        if let fixedC { return .fixedC(fixedC) }
        return .relativeEps(epsRel ?? Self.defaultEpsRel)
    }

    var maxRounds: Int { rounds ?? DistillationSettings.defaultMaxRounds }
}
