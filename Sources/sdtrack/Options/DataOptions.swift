import ArgumentParser
import Foundation
import SDEngine

/// Where the training (and held-out) data come from.
struct DataOptions: ParsableArguments {
    @Option(help: "A built-in data set (toy, sine, diabetes) or the path of a CSV file with a header row.")
    var data = "toy"

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

    @Option(name: .customLong("n"), help: "sine only: number of points.")
    var pointCount: Int?

    @Option(help: "sine only: standard deviation of the label noise.")
    var noise: Double?

    static let defaultPointCount = 100
    static let defaultNoise = 0.3

    var isCSV: Bool { !Dataset.builtinNames.contains(data) }

    func validate() throws {
        if let testFraction, !(testFraction > 0 && testFraction < 1) {
            throw ValidationError("--test-fraction must be in (0, 1), got \(testFraction); try 0.2")
        }
        if testFraction != nil, testFile != nil {
            throw ValidationError("--test and --test-fraction both give a held-out set; use one")
        }
        if !isCSV, target != nil || features != nil {
            throw ValidationError("--target and --features apply to CSV files, not the built-in '\(data)' data")
        }
        if data != "sine", pointCount != nil || noise != nil {
            throw ValidationError("--n and --noise apply to --data sine only")
        }
        if let pointCount, pointCount < 2 {
            throw ValidationError("--n must be at least 2, got \(pointCount)")
        }
        if let noise, !(noise >= 0 && noise.isFinite) {
            throw ValidationError("--noise must be a finite number >= 0, got \(noise)")
        }
    }

    /// Loads, splits and standardises the data as asked. `sourceFingerprint` is the SHA-256
    /// of the data before the seed acts (before --test-fraction splits it), so that runs over
    /// seeds share it; nil for sine, which the seed generates.
    func load() throws -> (dataset: Dataset, sourceFingerprint: String?) {
        var dataset: Dataset
        switch data {
        case "toy": dataset = .toy()
        case "sine": dataset = .sine(n: pointCount ?? Self.defaultPointCount, noise: noise ?? Self.defaultNoise, seed: seed)
        case "diabetes": dataset = .diabetes()
        default: dataset = try loadCSV(path: data)
        }
        if let testFile { dataset = try dataset.withTestSet(loadCSV(path: testFile)) }
        let sourceFingerprint = data == "sine" ? nil : dataset.fingerprint
        if let testFraction { dataset = try dataset.splitting(testFraction: testFraction, seed: seed) }
        if standardize { dataset = dataset.standardized() }
        return (try dataset.validated(), sourceFingerprint)
    }

    private func loadCSV(path: String) throws -> Dataset {
        let featureList = features.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }
        return try Dataset.csv(text: readTextFile(path, expected: "a CSV path or one of \(Dataset.builtinNames.joined(separator: ", "))"), name: path, target: target, features: featureList)
    }
}
