import SDEngine

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

/// A seeded generator, so that a test's "random" inputs are the same on every run and a
/// failure can be reproduced: the engine's own (SplitMix64).
public typealias TestRandom = SeededGenerator
