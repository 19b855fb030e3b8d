import Foundation

/// Single columns of the Gram matrix, for methods that never form it (`PivotedCholesky`).
///
/// Exactness: every value is bit-for-bit the entry `gram(points, scale:)` holds at the same
/// place. `gram` evaluates each pair once as `scale * g(x_i, x_j)` with i <= j and mirrors it,
/// so column p takes g(x_i, x_p) above the diagonal and g(x_p, x_i) below it; the kernels
/// other than `ntk` are evaluated here through raw pointers with the same arithmetic, in
/// the same order, as `callAsFunction` (Swift contracts no multiply-add and reassociates
/// nothing), and `ntk` through `callAsFunction` itself. Cost: one kernel evaluation per
/// point, O(K p) for K points of dimension p, and no K x K storage.
extension Kernel {
    /// `scale * g(x_i, x_i)` for every point i: the diagonal of `gram(points, scale:)`.
    public func diagonal(_ points: Points, scale: Double = 1) -> [Double] {
        var result = [Double](repeating: 0, count: points.count)
        result.withUnsafeMutableBufferPointer { out in
            points.values.withUnsafeBufferPointer { values in
                let p = points.dimension
                for i in 0..<points.count {
                    let x = values.baseAddress! + i * p
                    out[i] = scale * evaluate(x, x, dimension: p, points: points, i, i)
                }
            }
        }
        return result
    }

    /// `scale * g(x_i, x_pivot)` for every point i: column `pivot` of `gram(points, scale:)`.
    public func column(_ points: Points, at pivot: Int, scale: Double = 1) -> [Double] {
        var result = [Double](repeating: 0, count: points.count)
        result.withUnsafeMutableBufferPointer { column(points, at: pivot, scale: scale, into: $0) }
        return result
    }

    /// Writes column `pivot` of `gram(points, scale:)` into `output` (`points.count` doubles).
    func column(_ points: Points, at pivot: Int, scale: Double, into output: UnsafeMutableBufferPointer<Double>) {
        precondition(pivot >= 0 && pivot < points.count && output.count >= points.count)
        let p = points.dimension
        points.values.withUnsafeBufferPointer { values in
            let base = values.baseAddress!
            let y = base + pivot * p
            // Above the diagonal (and on it) gram evaluates g(x_i, x_pivot), below it g(x_pivot, x_i).
            for i in 0...pivot { output[i] = scale * evaluate(base + i * p, y, dimension: p, points: points, i, pivot) }
            for i in (pivot + 1)..<max(pivot + 1, points.count) {
                output[i] = scale * evaluate(y, base + i * p, dimension: p, points: points, pivot, i)
            }
        }
    }

    /// g(x, y) from raw coordinates, the arithmetic of `callAsFunction`; `ntk` goes through
    /// `callAsFunction` with the points' own slices (`first`, `second` index them).
    @inline(__always)
    private func evaluate(
        _ x: UnsafePointer<Double>, _ y: UnsafePointer<Double>, dimension: Int, points: Points, _ first: Int,
        _ second: Int
    ) -> Double {
        switch self {
        case .rbf(let gamma): return exp(-gamma * Self.squaredDistance(x, y, dimension))
        case .laplacian(let gamma): return exp(-gamma * Self.l1Distance(x, y, dimension))
        case .matern32(let l):
            let s = sqrt(Self.squaredDistance(x, y, dimension)) * 3.0.squareRoot() / l
            return (1 + s) * exp(-s)
        case .matern52(let l):
            let s = sqrt(Self.squaredDistance(x, y, dimension)) * 5.0.squareRoot() / l
            return (1 + s + s * s / 3) * exp(-s)
        case .polynomial(let degree, let gamma, let coef0):
            return pow(gamma * Self.dot(x, y, dimension) + coef0, Double(degree))
        case .linear: return Self.dot(x, y, dimension)
        case .ntk: return self(points[first], points[second])
        }
    }

    @inline(__always)
    private static func squaredDistance(_ x: UnsafePointer<Double>, _ y: UnsafePointer<Double>, _ n: Int) -> Double {
        var sum = 0.0
        for j in 0..<n {
            let d = x[j] - y[j]
            sum += d * d
        }
        return sum
    }

    @inline(__always)
    private static func l1Distance(_ x: UnsafePointer<Double>, _ y: UnsafePointer<Double>, _ n: Int) -> Double {
        var sum = 0.0
        for j in 0..<n { sum += abs(x[j] - y[j]) }
        return sum
    }

    @inline(__always)
    private static func dot(_ x: UnsafePointer<Double>, _ y: UnsafePointer<Double>, _ n: Int) -> Double {
        var sum = 0.0
        for j in 0..<n { sum += x[j] * y[j] }
        return sum
    }
}
