import Foundation

/// A positive semi-definite kernel g(x, x').
///
/// Distances are Euclidean except for `laplacian`, which uses the L1 distance as
/// scikit-learn's `laplacian_kernel` does. Every case is symmetric; evaluation is exact
/// up to the rounding of `exp`, `pow` and `acos` (a few ulps).
public enum Kernel: Sendable, Equatable {
    /// exp(-gamma |x - x'|^2); bandwidth sigma means gamma = 1 / (2 sigma^2).
    case rbf(gamma: Double)
    /// exp(-gamma |x - x'|_1); bandwidth sigma means gamma = 1 / sigma.
    case laplacian(gamma: Double)
    /// (1 + sqrt(3) r / l) exp(-sqrt(3) r / l), r = |x - x'|, length scale l.
    case matern32(lengthScale: Double)
    /// (1 + sqrt(5) r / l + 5 r^2 / (3 l^2)) exp(-sqrt(5) r / l).
    case matern52(lengthScale: Double)
    /// (gamma x . x' + coef0)^degree.
    case polynomial(degree: Int, gamma: Double, coef0: Double)
    /// x . x'.
    case linear
    /// The neural tangent kernel of a fully connected ReLU network with `depth` hidden layers.
    case ntk(depth: Int)

    public var name: String {
        switch self {
        case .rbf: "rbf"
        case .laplacian: "laplacian"
        case .matern32: "matern32"
        case .matern52: "matern52"
        case .polynomial: "polynomial"
        case .linear: "linear"
        case .ntk: "ntk"
        }
    }

    /// g(x, y) for two points of equal dimension.
    public func callAsFunction(_ x: ArraySlice<Double>, _ y: ArraySlice<Double>) -> Double {
        switch self {
        case .rbf(let gamma): exp(-gamma * squaredDistance(x, y))
        case .laplacian(let gamma): exp(-gamma * l1Distance(x, y))
        case .matern32(let l):
            Self.matern32(sqrt(squaredDistance(x, y)) * 3.0.squareRoot() / l)
        case .matern52(let l):
            Self.matern52(sqrt(squaredDistance(x, y)) * 5.0.squareRoot() / l)
        case .polynomial(let degree, let gamma, let coef0): pow(gamma * dot(x, y) + coef0, Double(degree))
        case .linear: dot(x, y)
        case .ntk(let depth): NeuralTangentKernel(depth: depth)(x, y)
        }
    }

    /// The column-major `rows.count x columns.count` matrix of `scale * g(row_i, column_j)`,
    /// reporting the fraction of columns done to `progress` about 100 times.
    public func matrix(
        rows: Points, columns: Points, scale: Double = 1, progress: (Double) -> Void = { _ in }
    ) -> [Double] {
        precondition(rows.dimension == columns.dimension)
        let m = rows.count
        var result = [Double](repeating: 0, count: m * columns.count)
        let every = Swift.max(columns.count / 100, 1)
        for j in 0..<columns.count {
            if j % every == 0, j > 0 { progress(Double(j) / Double(columns.count)) }
            let column = columns[j]
            for i in 0..<m { result[j * m + i] = scale * self(rows[i], column) }
        }
        return result
    }

    /// The symmetric Gram matrix `scale * g(x_i, x_j)`, evaluating each pair once, reporting
    /// the fraction of pairs done to `progress` about 100 times.
    public func gram(_ points: Points, scale: Double = 1, progress: (Double) -> Void = { _ in }) -> [Double] {
        let n = points.count
        var result = [Double](repeating: 0, count: n * n)
        let every = Swift.max(n / 100, 1)
        for j in 0..<n {
            if j % every == 0, j > 0 { progress(Double(j) * Double(j) / (Double(n) * Double(n))) }
            let column = points[j]
            for i in 0...j {
                let value = scale * self(points[i], column)
                result[j * n + i] = value
                result[i * n + j] = value
            }
        }
        return result
    }

    private static func matern32(_ s: Double) -> Double { (1 + s) * exp(-s) }
    private static func matern52(_ s: Double) -> Double { (1 + s + s * s / 3) * exp(-s) }
}

@inline(__always)
func dot(_ x: ArraySlice<Double>, _ y: ArraySlice<Double>) -> Double {
    var sum = 0.0
    var j = y.startIndex
    for value in x {
        sum += value * y[j]
        j += 1
    }
    return sum
}

@inline(__always)
func squaredDistance(_ x: ArraySlice<Double>, _ y: ArraySlice<Double>) -> Double {
    var sum = 0.0
    var j = y.startIndex
    for value in x {
        let d = value - y[j]
        sum += d * d
        j += 1
    }
    return sum
}

@inline(__always)
func l1Distance(_ x: ArraySlice<Double>, _ y: ArraySlice<Double>) -> Double {
    var sum = 0.0
    var j = y.startIndex
    for value in x {
        sum += abs(value - y[j])
        j += 1
    }
    return sum
}

extension Kernel {
    /// The median Euclidean distance between distinct training points (the "median
    /// heuristic" for a length scale). Uses at most the first 1000 points, so its cost is
    /// bounded; falls back to 1 when every point is identical.
    public static func medianDistance(_ points: Points) -> Double {
        let n = min(points.count, 1000)
        var distances = [Double]()
        distances.reserveCapacity(n * (n - 1) / 2)
        for j in 0..<n {
            for i in 0..<j {
                let distance = squaredDistance(points[i], points[j]).squareRoot()
                if distance > 0 { distances.append(distance) }
            }
        }
        guard !distances.isEmpty else { return 1 }
        distances.sort()
        let middle = distances.count / 2
        return distances.count % 2 == 1 ? distances[middle] : 0.5 * (distances[middle - 1] + distances[middle])
    }
}
