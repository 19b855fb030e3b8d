import ArgumentParser
import SDEngine
import SDSpec

/// How c_t is chosen and how many rounds run.
struct ModeOptions: ParsableArguments {
    @Option(help: "The paper's mode: each round's fit has training loss exactly eps (> 0).", transform: decimal)
    var eps: Double?

    @Option(
        help: "eps relative to the labels: eps = R * mean(y^2) (> 0; default R = \(ModeSpecification.defaultEpsRel)).",
        transform: decimal)
    var epsRel: Double?

    @Option(help: "The same ridge constant c every round (> 0; scikit-learn's alpha = K * c).", transform: decimal)
    var fixedC: Double?

    @Option(
        help: "The most rounds (>= 1; default: until the run collapses, at most \(Self.defaultMaxRounds))."
    )
    var rounds: Int?

    static let defaultMaxRounds = DistillationSettings.defaultMaxRounds

    var specification: ModeSpecification { ModeSpecification(eps: eps, epsRel: epsRel, fixedC: fixedC) }

    func validate() throws {
        // The mode and the round cap, checked where the whole specification is.
        try validating { try RunSpecification(mode: specification, maxRounds: rounds).validate() }
    }
}
