import SDEngine
import SDJSON

/// Where a run's training (and held-out) data come from.
public struct DataSpecification: Sendable, Equatable {
    /// A built-in data set (`Dataset.builtinNames`) or the path of a CSV file with a header row.
    public var source: String
    /// CSV only: the target column, by name or 0-based index (default: the last column).
    public var target: String?
    /// CSV only: the feature columns, by name or index (default: all but the target).
    public var features: [String]?
    /// Centre and scale every feature by its training mean and standard deviation.
    public var standardize: Bool
    /// A CSV file with the same columns, used as the held-out set.
    public var testFile: String?
    /// Hold out this fraction of the points, chosen by `seed`.
    public var testFraction: Double?
    /// Seeds the sine data and the held-out split.
    public var seed: UInt64
    /// sine only: the number of points (default `defaultPointCount`).
    public var pointCount: Int?
    /// sine only: the standard deviation of the label noise (default `defaultNoise`).
    public var noise: Double?

    public static let defaultSource = "toy"
    public static let defaultPointCount = 100
    /// The most sine points: 200,000 points' Gram matrix alone is 320 GB. Larger data sets
    /// (CSV files) are checked against the machine's memory before a run starts.
    public static let largestPointCount = 200_000
    public static let defaultNoise = 0.1

    public init(
        source: String = defaultSource, target: String? = nil, features: [String]? = nil,
        standardize: Bool = false, testFile: String? = nil, testFraction: Double? = nil, seed: UInt64 = 0,
        pointCount: Int? = nil, noise: Double? = nil
    ) {
        self.source = source
        self.target = target
        self.features = features
        self.standardize = standardize
        self.testFile = testFile
        self.testFraction = testFraction
        self.seed = seed
        self.pointCount = pointCount
        self.noise = noise
    }

    public var isCSV: Bool { !Dataset.builtinNames.contains(source) }
    public var isSine: Bool { source == "sine" }

    /// The label noise of synthetic data (sine), nil for measured data.
    public var resolvedNoise: Double? { isSine ? noise ?? Self.defaultNoise : nil }

    public func validate() throws(SpecificationError) {
        if let testFraction, !(testFraction > 0 && testFraction < 1) {
            throw SpecificationError(
                "test_fraction", "must be in (0, 1), got \(JSONNumber.display(testFraction)); try 0.2")
        }
        if testFraction != nil, testFile != nil {
            throw SpecificationError(["test_file", "test_fraction"], "both give a held-out set; use one")
        }
        if !isCSV, target != nil || features != nil {
            throw SpecificationError(
                ["target", "features"], "apply to CSV files, not the built-in '\(source.shortened)' data")
        }
        if !isSine, pointCount != nil || noise != nil {
            throw SpecificationError(["n", "noise"], "apply to the sine data only")
        }
        // The store and the configuration keep the seed as a signed 64-bit integer.
        if seed > UInt64(Int.max) { throw SpecificationError("seed", "must be at most \(Int.max), got \(seed)") }
        if let pointCount, !(2...Self.largestPointCount).contains(pointCount) {
            throw SpecificationError(
                "n",
                "must be 2 ... \(Self.largestPointCount) (a Gram matrix of K points takes 8 K^2 bytes), "
                    + "got \(pointCount)")
        }
        if let noise, !(noise >= 0 && noise.isFinite) {
            throw SpecificationError("noise", "must be a finite number >= 0, got \(JSONNumber.display(noise))")
        }
    }

    /// Loads, splits and standardises the data as asked.
    public func load() throws -> LoadedData {
        var dataset: Dataset
        switch source {
        case "toy": dataset = .toy()
        case "sine": dataset = .sine(n: pointCount ?? Self.defaultPointCount, noise: resolvedNoise!, seed: seed)
        case "diabetes": dataset = .diabetes()
        default: dataset = try loadCSV(path: source)
        }
        if let testFile { dataset = try dataset.withTestSet(loadCSV(path: testFile)) }
        let sourceFingerprint = isSine ? nil : dataset.fingerprint
        if let testFraction { dataset = try dataset.splitting(testFraction: testFraction, seed: seed) }
        if standardize { dataset = dataset.standardized() }
        return LoadedData(dataset: try dataset.validated(), sourceFingerprint: sourceFingerprint)
    }

    private func loadCSV(path: String) throws -> Dataset {
        let text = try readTextFile(
            path, expected: "a CSV path or one of \(Dataset.builtinNames.joined(separator: ", "))")
        return try Dataset.csv(text: text, name: path, target: target, features: features)
    }
}

/// Data ready for a run.
public struct LoadedData: Sendable {
    public let dataset: Dataset
    /// The SHA-256 of the data before the seed acts (before a test fraction splits it), so
    /// that runs over seeds share it; nil for sine, which the seed generates.
    public let sourceFingerprint: String?
}
