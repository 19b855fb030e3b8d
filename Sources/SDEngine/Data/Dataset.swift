import Foundation

/// Points with one target each.
public struct LabeledPoints: Sendable, Equatable {
    public let points: Points
    public let targets: [Double]

    public init(points: Points, targets: [Double]) {
        precondition(points.count == targets.count)
        self.points = points
        self.targets = targets
    }

    public var count: Int { targets.count }

    public func selecting(_ indices: [Int]) -> LabeledPoints {
        LabeledPoints(points: points.selecting(indices), targets: indices.map { targets[$0] })
    }
}

/// A data set ready for a run: training points, an optional held-out set, and, for
/// synthetic data, the noiseless function on a dense grid.
public struct Dataset: Sendable {
    public let name: String
    public let featureNames: [String]
    public let targetName: String
    public let train: LabeledPoints
    public let test: LabeledPoints?
    /// The noiseless function on a dense grid (synthetic data only).
    public let truth: LabeledPoints?
    /// The noiseless function itself (synthetic data only), of a point's features as they are
    /// in this data set: after `standardized()`, of the standardized features. It gives the
    /// truth at points other than the grid's (a fit drawn on a grid of its own).
    public let truthFunction: (@Sendable (ArraySlice<Double>) -> Double)?

    public init(
        name: String, featureNames: [String], targetName: String,
        train: LabeledPoints, test: LabeledPoints? = nil, truth: LabeledPoints? = nil,
        truthFunction: (@Sendable (ArraySlice<Double>) -> Double)? = nil
    ) {
        self.name = name
        self.featureNames = featureNames
        self.targetName = targetName
        self.train = train
        self.test = test
        self.truth = truth
        self.truthFunction = truthFunction
    }

    /// Holds out `round(fraction * n)` points chosen by a permutation fixed by `seed`.
    public func splitting(testFraction fraction: Double, seed: UInt64) throws(EngineError) -> Dataset {
        guard fraction > 0, fraction < 1 else {
            throw EngineError(
                .invalidParameter, "test fraction \(fraction) is outside (0, 1); pass a value such as 0.2")
        }
        let n = train.count
        let testCount = Int((fraction * Double(n)).rounded())
        guard testCount >= 1, n - testCount >= 2 else {
            throw EngineError(
                .invalidParameter,
                "test fraction \(fraction) of \(n) points leaves \(testCount) test and \(n - testCount) training "
                    + "points; need at least 1 and 2"
            )
        }
        var generator = SeededGenerator(seed: seed)
        let order = generator.permutation(n)
        let testIndices = Array(order.prefix(testCount)).sorted()
        let trainIndices = Array(order.dropFirst(testCount)).sorted()
        return Dataset(
            name: name, featureNames: featureNames, targetName: targetName,
            train: train.selecting(trainIndices), test: train.selecting(testIndices), truth: truth,
            truthFunction: truthFunction)
    }

    /// Uses `other`'s points as the held-out set; its features must match by name.
    public func withTestSet(_ other: Dataset) throws(EngineError) -> Dataset {
        guard other.featureNames == featureNames else {
            throw EngineError(
                .invalidData,
                "the test file's features (\(other.featureNames.joined(separator: ", "))) differ from the training "
                    + "features (\(featureNames.joined(separator: ", "))); use the same columns"
            )
        }
        return Dataset(
            name: name, featureNames: featureNames, targetName: targetName,
            train: train, test: other.train, truth: truth, truthFunction: truthFunction)
    }

    /// Centres and scales every feature by the training mean and standard deviation, and
    /// applies the same map to the test set and the truth grid (the truth function undoes it
    /// before it evaluates). A constant feature is only centred.
    public func standardized() -> Dataset {
        let n = Double(train.count)
        let p = train.points.dimension
        var mean = [Double](repeating: 0, count: p)
        var scale = [Double](repeating: 0, count: p)
        for i in 0..<train.count {
            for (j, value) in train.points[i].enumerated() { mean[j] += value / n }
        }
        for i in 0..<train.count {
            for (j, value) in train.points[i].enumerated() { scale[j] += (value - mean[j]) * (value - mean[j]) / n }
        }
        scale = scale.map { $0 > 0 ? $0.squareRoot() : 1 }
        let (means, scales) = (mean, scale)
        func map(_ set: LabeledPoints?) -> LabeledPoints? {
            set.map {
                LabeledPoints(points: $0.points.mapFeatures { ($0 - mean[$1]) / scale[$1] }, targets: $0.targets)
            }
        }
        let original = truthFunction.map { truth in
            { @Sendable (point: ArraySlice<Double>) in
                truth(ArraySlice(point.enumerated().map { $0.element * scales[$0.offset] + means[$0.offset] }))
            }
        }
        return Dataset(
            name: name, featureNames: featureNames, targetName: targetName,
            train: map(train)!, test: map(test), truth: map(truth), truthFunction: original)
    }

    /// Throws unless there are at least two training points and every feature and label is
    /// finite (a generated label can overflow: `--noise 1e308`).
    public func validated() throws(EngineError) -> Dataset {
        for (set, points) in [("training", train), ("held-out", test), ("truth", truth)] {
            guard let points else { continue }
            if points.points.values.contains(where: { !$0.isFinite }) {
                throw EngineError(
                    .invalidData,
                    "\(name): a \(set) feature is beyond double range; rescale the data (or --standardize)")
            }
            if points.targets.contains(where: { !$0.isFinite }) {
                throw EngineError(
                    .invalidData, "\(name): a \(set) label is beyond double range (too much --noise?); rescale it")
            }
        }
        guard train.count >= 2 else {
            throw EngineError(
                .invalidData,
                "\(name) has \(train.count) training point\(train.count == 1 ? "" : "s"); self-distillation needs "
                    + "at least 2"
            )
        }
        return self
    }
}

extension Dataset {
    /// The mean squared errors of the zero function on the training labels, the held-out set
    /// and the truth grid: a collapsed run's errors at every round from its collapse on.
    public var zeroPredictorMSE: (train: Double, test: Double?, truth: Double?) {
        func meanSquare(_ values: [Double]) -> Double { values.reduce(0) { $0 + $1 * $1 } / Double(values.count) }
        return (meanSquare(train.targets), test.map { meanSquare($0.targets) }, truth.map { meanSquare($0.targets) })
    }
}
