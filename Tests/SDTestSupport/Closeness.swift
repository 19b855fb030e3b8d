/// |a - b| <= tolerance * max(|a|, |b|, floor): relative comparison that tolerates zeros.
public func isClose(_ a: Double, _ b: Double, relative tolerance: Double, floor: Double = 1e-300) -> Bool {
    abs(a - b) <= tolerance * max(abs(a), abs(b), floor)
}

/// max_i |a_i - b_i| / max_i |b_i|: the error of a vector relative to its scale.
public func relativeError(_ a: [Double], _ b: [Double]) -> Double {
    precondition(a.count == b.count)
    let scale = b.map(abs).max() ?? 0
    let error = zip(a, b).map { abs($0 - $1) }.max() ?? 0
    return scale > 0 ? error / scale : error
}

/// Whether two arrays hold the same doubles bit for bit (NaN equal to NaN, -0 apart from 0).
public func sameBits(_ a: [Double], _ b: [Double]) -> Bool {
    a.count == b.count && zip(a, b).allSatisfy { $0.bitPattern == $1.bitPattern }
}

/// SplitMix64: a small seeded generator, so that a test's "random" inputs are the same on
/// every run and a failure can be reproduced.
public struct TestRandom: RandomNumberGenerator {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
