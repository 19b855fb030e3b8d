import Foundation

extension Dataset {
    /// The names `--data` accepts besides a CSV path.
    public static let builtinNames = ["toy", "sine", "diabetes"]

    /// The paper's 11-point toy set; truth sin(2 pi x) on the grid 0, 0.01, ..., 1.
    public static func toy() -> Dataset {
        let table = try! CSVTable(text: BuiltinData.mobahiToyCSV, source: "toy")
        return Dataset(
            name: "toy", featureNames: ["x"], targetName: "y",
            train: LabeledPoints(points: table.points(columns: [0]), targets: table.column(1)),
            truth: sineTruthGrid(size: 101), truthFunction: { sineTruth($0[$0.startIndex]) })
    }

    /// `n` points x ~ U[0, 1], y = sin(2 pi x) + noise * N(0, 1), drawn from `seed`;
    /// truth on the grid 0, 0.01, ..., 1.
    public static func sine(n: Int, noise: Double, seed: UInt64) -> Dataset {
        var generator = SeededGenerator(seed: seed)
        let x = (0..<n).map { _ in generator.nextUniform() }
        let y = x.map { sin(2 * Double.pi * $0) + noise * generator.nextGaussian() }
        return Dataset(
            name: "sine", featureNames: ["x"], targetName: "y",
            train: LabeledPoints(points: Points(x), targets: y),
            truth: sineTruthGrid(size: 101), truthFunction: { sineTruth($0[$0.startIndex]) })
    }

    /// The diabetes regression set: 442 x 10, target `progression`.
    public static func diabetes() -> Dataset {
        try! csv(text: BuiltinData.diabetesCSV, name: "diabetes", target: "progression", features: nil)
    }

    /// A data set from CSV text: `target` names the label column (name or 0-based index;
    /// default the last column), `features` the input columns (default all others).
    public static func csv(text: String, name: String, target: String?, features: [String]?) throws(EngineError)
        -> Dataset
    {
        let table = try CSVTable(text: text, source: name)
        let targetIndex = try table.columnIndex(target ?? String(table.columns.count - 1), source: name)
        var featureIndices = [Int]()
        if let features {
            for feature in features { featureIndices.append(try table.columnIndex(feature, source: name)) }
        } else {
            featureIndices = table.columns.indices.filter { $0 != targetIndex }
        }
        guard !featureIndices.isEmpty else {
            throw EngineError(
                .invalidData, "\(name) has no feature columns besides the target '\(table.columns[targetIndex])'")
        }
        if featureIndices.contains(targetIndex) {
            throw EngineError(
                .invalidData,
                "column '\(table.columns[targetIndex])' is both the target and a feature; drop it from the features")
        }
        return Dataset(
            name: name, featureNames: featureIndices.map { table.columns[$0] },
            targetName: table.columns[targetIndex],
            train: LabeledPoints(
                points: table.points(columns: featureIndices),
                targets: table.column(targetIndex)))
    }

    /// The noiseless function of the toy and sine data: sin(2 pi x).
    public static func sineTruth(_ x: Double) -> Double { sin(2 * Double.pi * x) }

    private static func sineTruthGrid(size: Int) -> LabeledPoints {
        let grid = (0..<size).map { Double($0) / Double(size - 1) }
        return LabeledPoints(points: Points(grid), targets: grid.map(sineTruth))
    }
}
