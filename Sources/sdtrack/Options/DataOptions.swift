import ArgumentParser
import SDEngine
import SDSpec

/// Where the training (and held-out) data come from: a `DataSpecification`.
struct DataOptions: ParsableArguments {
    @Option(help: "A built-in data set (toy, sine, diabetes) or the path of a CSV file with a header row.")
    var data = DataSpecification.defaultSource

    @Option(help: "CSV only: the target column, by name or 0-based index (default: the last column).")
    var target: String?

    @Option(help: "CSV only: comma-separated feature columns, by name or index (default: all but the target).")
    var features: String?

    @Flag(help: "Centre and scale every feature by its training mean and standard deviation.")
    var standardize = false

    @Option(name: .customLong("test"), help: "A CSV file with the same columns, used as the held-out set.")
    var testFile: String?

    @Option(help: "Hold out this fraction of the points, chosen by --seed (in (0, 1)).")
    var testFraction: Double?

    @Option(help: "Seed for the sine data and the held-out split.")
    var seed: UInt64 = 0

    @Option(
        name: .customLong("n"), help: "sine only: number of points (default \(DataSpecification.defaultPointCount)).")
    var pointCount: Int?

    @Option(help: "sine only: standard deviation of the label noise (default \(DataSpecification.defaultNoise)).")
    var noise: Double?

    var specification: DataSpecification {
        DataSpecification(
            source: data, target: target,
            features: features.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } },
            standardize: standardize, testFile: testFile, testFraction: testFraction, seed: seed,
            pointCount: pointCount, noise: noise)
    }

    func validate() throws {
        try validating { try specification.validate() }
    }
}

/// The kernel and its parameters: a `KernelRequest`.
struct KernelOptions: ParsableArguments {
    // A string rather than an enum so that a typo gets one line naming the valid kernels.
    @Option(name: .customLong("kernel"), help: "The kernel: \(KernelName.list).")
    var kernelName = KernelName.rbf.rawValue

    @Option(help: "rbf, laplacian, matern: the length scale sigma (default: median distance between training points).")
    var bandwidth: Double?

    @Option(
        help: "rbf: exp(-gamma |x-x'|^2); laplacian: exp(-gamma |x-x'|_1); polynomial: the scale of x.x' (default 1/p)."
    )
    var gamma: Double?

    @Option(help: "polynomial: the degree (default \(KernelRequest.defaultDegree)).")
    var degree: Int?

    @Option(help: "polynomial: the constant term (>= 0; default \(KernelRequest.defaultCoef0)).")
    var coef0: Double?

    @Option(help: "ntk: the number of hidden layers (default \(KernelRequest.defaultDepth)).")
    var depth: Int?

    var request: KernelRequest {
        KernelRequest(name: kernelName, bandwidth: bandwidth, gamma: gamma, degree: degree, coef0: coef0, depth: depth)
    }

    func validate() throws {
        try validating { try request.validate() }
    }
}

/// How c_t is chosen and how many rounds run.
struct ModeOptions: ParsableArguments {
    @Option(help: "The paper's mode: each round's fit has training loss exactly eps (> 0).")
    var eps: Double?

    @Option(
        help: "eps relative to the labels: eps = R * mean(y^2) (> 0; default R = \(ModeSpecification.defaultEpsRel))."
    )
    var epsRel: Double?

    @Option(help: "The same ridge constant c every round (> 0; scikit-learn's alpha = K * c).")
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

/// Runs `body`, turning a `SpecificationError` into a usage error (exit 64) that names the
/// command line's options.
func validating(_ body: () throws -> Void) throws {
    do {
        try body()
    } catch let error as SpecificationError {
        throw ValidationError(error.message(naming: SpecificationOptionNames.option))
    }
}
