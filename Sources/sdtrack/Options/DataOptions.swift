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

    @Option(help: "Hold out this fraction of the points, chosen by --seed (in (0, 1)).", transform: decimal)
    var testFraction: Double?

    @Option(help: "Seed for the sine data and the held-out split.")
    var seed: UInt64 = 0

    @Option(
        name: .customLong("n"), help: "sine only: number of points (default \(DataSpecification.defaultPointCount)).")
    var pointCount: Int?

    @Option(
        help: "sine only: standard deviation of the label noise (default \(DataSpecification.defaultNoise)).",
        transform: decimal)
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
