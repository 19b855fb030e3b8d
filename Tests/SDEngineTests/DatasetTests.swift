import Foundation
import SDTestSupport
import Testing

@testable import SDEngine

@Suite struct DatasetTests {
    @Test func toyIsThePapersElevenPoints() {
        let toy = Dataset.toy()
        #expect(toy.train.count == 11)
        #expect(toy.train.points.values == (0...10).map { Double($0) / 10 })
        #expect(toy.train.targets[0] == 0.38476636465198066)
        #expect(toy.truth?.count == 101)
        #expect(toy.truth.map { isClose($0.targets[25], 1, relative: 1e-15) } == true)  // sin(pi / 2)
    }

    @Test func diabetesHas442PatientsAndTenFeatures() {
        let diabetes = Dataset.diabetes()
        #expect(diabetes.train.count == 442)
        #expect(diabetes.train.points.dimension == 10)
        #expect(diabetes.targetName == "progression")
        #expect(diabetes.train.targets.prefix(3) == [151, 75, 141])
        #expect(diabetes.truth == nil)
    }

    @Test func sineIsDeterministicInItsSeed() {
        let a = Dataset.sine(n: 50, noise: 0.3, seed: 7), b = Dataset.sine(n: 50, noise: 0.3, seed: 7)
        let c = Dataset.sine(n: 50, noise: 0.3, seed: 8)
        #expect(a.train == b.train)
        #expect(a.train != c.train)
        #expect(a.train.points.values.allSatisfy { $0 >= 0 && $0 < 1 })
        let noiseless = Dataset.sine(n: 50, noise: 0, seed: 7)
        #expect(
            zip(noiseless.train.points.values, noiseless.train.targets).allSatisfy {
                isClose(sin(2 * .pi * $0), $1, relative: 1e-15, floor: 1e-15)
            })
    }

    @Test func splitIsDeterministicDisjointAndComplete() throws {
        let data = Dataset.sine(n: 40, noise: 0.1, seed: 1)
        let split = try data.splitting(testFraction: 0.25, seed: 5)
        #expect(split.train.count == 30 && split.test?.count == 10)
        let again = try data.splitting(testFraction: 0.25, seed: 5)
        #expect(again.test == split.test)
        let union = Set(split.train.points.values + (split.test?.points.values ?? []))
        #expect(union == Set(data.train.points.values))
        #expect(try data.splitting(testFraction: 0.25, seed: 6).test != split.test)
    }

    @Test(arguments: [0.0, 1.0, -0.1, 1.5, 0.01, 0.99])
    func splitRejectsFractionsThatLeaveNoTestOrTooFewTrainingPoints(fraction: Double) {
        // 10 points: 0.01 leaves no test point, 0.99 leaves no training point.
        #expect(throws: EngineError.self) {
            try Dataset.sine(n: 10, noise: 0, seed: 0).splitting(testFraction: fraction, seed: 0)
        }
    }

    @Test func standardizationUsesTrainingStatistics() throws {
        let data = try Dataset.diabetes().splitting(testFraction: 0.2, seed: 0).standardized()
        let p = data.train.points.dimension
        for j in 0..<p {
            let column = (0..<data.train.count).map { data.train.points[$0][$0 * p + j] }
            let mean = column.reduce(0, +) / Double(column.count)
            let variance = column.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(column.count)
            #expect(abs(mean) < 1e-12 && isClose(variance, 1, relative: 1e-12))
        }
        #expect(data.test?.count == 88)
    }

    /// The truth function gives the truth grid's values at its points, through a split and
    /// after standardization too (it undoes the map); measured data have none.
    @Test func truthFunctionMatchesTheTruthGrid() throws {
        let sine = Dataset.sine(n: 30, noise: 0.1, seed: 3)
        for data in [Dataset.toy(), sine, try sine.splitting(testFraction: 0.2, seed: 1), sine.standardized()] {
            let truth = try #require(data.truth), function = try #require(data.truthFunction)
            for i in 0..<truth.count {
                #expect(isClose(function(truth.points[i]), truth.targets[i], relative: 1e-12, floor: 1e-12))
            }
        }
        #expect(Dataset.toy().truthFunction?([0.25]) == Dataset.sineTruth(0.25) && Dataset.sineTruth(0.25) == 1)
        #expect(Dataset.diabetes().truthFunction == nil)
    }

    @Test func csvSelectsTargetAndFeatures() throws {
        let text = "a,b,c\n1,2,3\n4,5,6\n"
        let byDefault = try Dataset.csv(text: text, name: "f.csv", target: nil, features: nil)
        #expect(byDefault.targetName == "c" && byDefault.featureNames == ["a", "b"])
        let chosen = try Dataset.csv(text: text, name: "f.csv", target: "0", features: ["c"])
        #expect(chosen.targetName == "a" && chosen.train.points.values == [3, 6] && chosen.train.targets == [1, 4])
        #expect(throws: EngineError.self) { try Dataset.csv(text: text, name: "f.csv", target: "a", features: ["a"]) }
        #expect(throws: EngineError.self) {
            try Dataset.csv(text: "y\n1\n2\n", name: "f.csv", target: nil, features: nil)
        }
    }

    @Test func testSetMustHaveTheSameFeatures() throws {
        let train = try Dataset.csv(text: "a,b,y\n1,2,3\n4,5,6\n", name: "train.csv", target: "y", features: nil)
        let good = try Dataset.csv(text: "a,b,y\n7,8,9\n", name: "test.csv", target: "y", features: nil)
        #expect(try train.withTestSet(good).test?.count == 1)
        let bad = try Dataset.csv(text: "a,c,y\n7,8,9\n", name: "test.csv", target: "y", features: nil)
        #expect(throws: EngineError.self) { try train.withTestSet(bad) }
    }

    @Test func fewerThanTwoTrainingPointsIsAnError() throws {
        let one = try Dataset.csv(text: "x,y\n1,2\n", name: "one.csv", target: nil, features: nil)
        let error = #expect(throws: EngineError.self) { try one.validated() }
        #expect(error?.message == "one.csv has 1 training point; self-distillation needs at least 2")
    }
}
