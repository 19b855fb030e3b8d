import Foundation
import Testing

@testable import SDEngine

@Suite struct SHA256Tests {
    static func digest(_ text: String) -> String {
        var hash = SHA256()
        hash.update(Array(text.utf8))
        return hash.hexDigest()
    }

    /// FIPS 180-4's examples, and lengths around the 55/56/64-byte padding edges.
    @Test func standardVectors() {
        #expect(Self.digest("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(Self.digest("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(
            Self.digest("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        var million = SHA256()
        for _ in 0..<1000 { million.update(Array(repeating: UInt8(ascii: "a"), count: 1000)) }
        #expect(million.hexDigest() == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    /// The fingerprint's bytes written out and hashed by coreutils' sha256sum.
    @Test func fingerprintMatchesSha256sumOfItsDocumentedBytes() throws {
        let dataset = try Dataset.sine(n: 40, noise: 0.2, seed: 5).splitting(testFraction: 0.25, seed: 1)
        var bytes = [UInt8]()
        func append(_ value: UInt64) { withUnsafeBytes(of: value.littleEndian) { bytes += $0 } }
        func append(_ values: [Double]) { for value in values { append(value.bitPattern) } }
        for part in [dataset.train, dataset.test!] {
            append(UInt64(part.count))
            append(UInt64(part.points.dimension))
            append(part.points.values)
            append(part.targets)
        }
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("fingerprint-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: url) }
        try Data(bytes).write(to: url)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
        process.arguments = [url.path]
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let output = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(output.hasPrefix(dataset.fingerprint + " "))
    }

    @Test func fingerprintSeesOneChangedNumberButNotNames() throws {
        let toy = Dataset.toy()
        var targets = toy.train.targets
        targets[3] = targets[3].nextUp
        let changed = Dataset(
            name: "toy", featureNames: toy.featureNames, targetName: toy.targetName,
            train: LabeledPoints(points: toy.train.points, targets: targets))
        let renamed = Dataset(name: "other", featureNames: ["u"], targetName: "v", train: toy.train)
        #expect(changed.fingerprint != toy.fingerprint)
        #expect(renamed.fingerprint == toy.fingerprint)
    }
}
