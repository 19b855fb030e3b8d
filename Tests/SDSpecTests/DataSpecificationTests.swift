import Foundation
import SDEngine
import SDTestSupport
import Testing

@testable import SDSpec

/// Loading the data a specification names: built-in sets, CSV files, held-out sets,
/// standardisation, and the fingerprint that runs over seeds share.
@Suite struct DataSpecificationTests {
    static let csv = "a,b,label\n1,10,0.5\n2,20,1.5\n3,30,2.5\n4,40,3.5\n"

    /// toy is the paper's 11 points x = 0, 0.1, ..., 1 with the truth on 101 grid points.
    @Test func toy() throws {
        let loaded = try DataSpecification().load()
        let dataset = loaded.dataset
        #expect(dataset.name == "toy" && dataset.featureNames == ["x"] && dataset.targetName == "y")
        #expect(dataset.train.count == 11 && dataset.test == nil && dataset.truth?.count == 101)
        #expect(dataset.train.points.values == (0...10).map { Double($0) / 10 })
        #expect(dataset.truth?.points.values.last == 1 && dataset.truth?.targets.first == 0)
        #expect(loaded.sourceFingerprint == dataset.fingerprint)
    }

    /// sine draws n points with the given noise from the seed: the same seed gives the same
    /// data, another seed other data, and noise 0 gives sin(2 pi x) exactly.
    @Test func sineIsDeterministic() throws {
        let specification = DataSpecification(source: "sine", seed: 7, pointCount: 25, noise: 0.5)
        let first = try specification.load(), second = try specification.load()
        #expect(first.dataset.train.count == 25 && first.dataset.truth?.count == 101 && first.dataset.test == nil)
        #expect(first.dataset.train == second.dataset.train)
        #expect(first.sourceFingerprint == nil && second.sourceFingerprint == nil)
        var otherSeed = specification
        otherSeed.seed = 8
        #expect(try otherSeed.load().dataset.train.targets != first.dataset.train.targets)
        var noiseless = specification
        noiseless.noise = 0
        let clean = try noiseless.load().dataset.train
        #expect(clean.points == first.dataset.train.points)
        #expect(clean.targets == clean.points.values.map { sin(2 * Double.pi * $0) })
        #expect(first.dataset.train.targets != clean.targets)
        // Without n and noise: 100 points with noise 0.1, the engine's sine.
        let defaults = try DataSpecification(source: "sine", seed: 7).load().dataset
        #expect(defaults.train == Dataset.sine(n: 100, noise: 0.1, seed: 7).train)
    }

    /// A test fraction holds out round(fraction * n) points chosen by the seed; train and test
    /// together are the original points.
    @Test func testFractionSplits() throws {
        // toy: round(0.2 * 11) = round(2.2) = 2; sine 30: round(0.25 * 30) = round(7.5) = 8.
        let toy = try DataSpecification(testFraction: 0.2, seed: 1).load().dataset
        #expect(toy.train.count == 9 && toy.test?.count == 2 && toy.truth?.count == 101)
        let all = (toy.train.points.values + (toy.test?.points.values ?? [])).sorted()
        #expect(all == Dataset.toy().train.points.values)
        let sine = try DataSpecification(source: "sine", testFraction: 0.25, seed: 3, pointCount: 30).load().dataset
        #expect(sine.train.count == 22 && sine.test?.count == 8)
        let whole = Dataset.sine(n: 30, noise: 0.1, seed: 3).train
        #expect((sine.train.targets + sine.test!.targets).sorted() == whole.targets.sorted())
        // Another seed holds out other points.
        let other = try DataSpecification(testFraction: 0.2, seed: 2).load().dataset
        #expect(other.test?.points != toy.test?.points || other.test?.targets != toy.test?.targets)
    }

    /// A CSV file with target and features by name or by index, and another as held-out set.
    @Test func csvFile() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = try write(Self.csv, to: "data.csv", in: folder)
        let named = try DataSpecification(source: path, target: "label", features: ["b"]).load()
        #expect(
            named.dataset.name == path && named.dataset.featureNames == ["b"] && named.dataset.targetName == "label")
        #expect(
            named.dataset.train.points.values == [10, 20, 30, 40]
                && named.dataset.train.targets == [0.5, 1.5, 2.5, 3.5])
        #expect(named.dataset.test == nil && named.dataset.truth == nil)
        #expect(named.sourceFingerprint == named.dataset.fingerprint)
        let byIndex = try DataSpecification(source: path, target: "0").load().dataset
        #expect(
            byIndex.featureNames == ["b", "label"] && byIndex.targetName == "a"
                && byIndex.train.targets == [1, 2, 3, 4])
        let lastColumn = try DataSpecification(source: path).load().dataset
        #expect(lastColumn.featureNames == ["a", "b"] && lastColumn.targetName == "label")
        let testPath = try write("a,b,label\n5,50,4.5\n", to: "test.csv", in: folder)
        let withTest = try DataSpecification(source: path, target: "label", features: ["b"], testFile: testPath).load()
        #expect(withTest.dataset.train.count == 4 && withTest.dataset.test?.points.values == [50])
        #expect(withTest.dataset.test?.targets == [4.5])
        // The fingerprint of a file with its test file covers both.
        #expect(
            withTest.sourceFingerprint == withTest.dataset.fingerprint
                && withTest.sourceFingerprint != named.sourceFingerprint)
    }

    /// A missing file or test file, or a folder, is one line that says what to pass instead.
    @Test func missingFiles() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let missing = folder.appendingPathComponent("missing.csv").path
        let error = #expect(throws: DataFileError.self) { try DataSpecification(source: missing).load() }
        #expect(error?.path == missing)
        #expect(error?.description == "no such file '\(missing)'; pass a CSV path or one of toy, sine, diabetes")
        let testError = #expect(throws: DataFileError.self) { try DataSpecification(testFile: missing).load() }
        #expect(testError?.description.hasPrefix("no such file '\(missing)'") == true)
        let directory = #expect(throws: DataFileError.self) { try DataSpecification(source: folder.path).load() }
        #expect(directory?.description.contains("is a directory") == true)
    }

    /// Standardising centres and scales every feature by the training mean and (population)
    /// sd and maps the truth grid the same way: toy x has mean 0.5 and variance 0.1.
    @Test func standardize() throws {
        let dataset = try DataSpecification(standardize: true).load().dataset
        let x = dataset.train.points.values
        let mean = x.reduce(0, +) / Double(x.count)
        let variance = x.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(x.count)
        #expect(abs(mean) <= 1e-15 && isClose(variance, 1, relative: 1e-14))
        #expect(isClose(x[0], -0.5 / 0.1.squareRoot(), relative: 1e-14))
        let grid = try #require(dataset.truth?.points.values)
        #expect(
            isClose(grid[0], -0.5 / 0.1.squareRoot(), relative: 1e-14)
                && isClose(grid[100], 0.5 / 0.1.squareRoot(), relative: 1e-14))
        #expect(dataset.train.targets == Dataset.toy().train.targets)
        // The fingerprint is of the data before standardising: the same as without it.
        #expect(
            try DataSpecification(standardize: true).load().sourceFingerprint
                == DataSpecification().load().sourceFingerprint)
    }

    /// The source fingerprint is nil for sine (the seed makes the data) and the same across
    /// seeds for toy with a test fraction (it is taken before the split), unlike the split data's own.
    @Test func sourceFingerprint() throws {
        #expect(try DataSpecification(source: "sine", testFraction: 0.2, seed: 1).load().sourceFingerprint == nil)
        let one = try DataSpecification(testFraction: 0.3, seed: 1).load()
        let two = try DataSpecification(testFraction: 0.3, seed: 2).load()
        #expect(one.sourceFingerprint != nil && one.sourceFingerprint == two.sourceFingerprint)
        #expect(one.sourceFingerprint == Dataset.toy().fingerprint)
        #expect(one.dataset.fingerprint != two.dataset.fingerprint)
    }
}
