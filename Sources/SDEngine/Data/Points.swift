/// `count` points in R^`dimension`, stored row by row so that one point is contiguous.
public struct Points: Sendable, Equatable {
    public let count: Int
    public let dimension: Int
    /// Row-major: point i occupies `values[i * dimension ..< (i + 1) * dimension]`.
    public private(set) var values: [Double]

    public init(count: Int, dimension: Int, values: [Double]) {
        precondition(values.count == count * dimension, "Points: \(values.count) values for \(count) x \(dimension)")
        self.count = count
        self.dimension = dimension
        self.values = values
    }

    /// One-dimensional points.
    public init(_ scalars: [Double]) {
        self.init(count: scalars.count, dimension: 1, values: scalars)
    }

    public subscript(point: Int) -> ArraySlice<Double> {
        values[point * dimension..<(point + 1) * dimension]
    }

    /// The points at `indices`, in that order.
    public func selecting(_ indices: [Int]) -> Points {
        var picked = [Double]()
        picked.reserveCapacity(indices.count * dimension)
        for i in indices { picked.append(contentsOf: self[i]) }
        return Points(count: indices.count, dimension: dimension, values: picked)
    }

    /// Applies `transform(value, featureIndex)` to every coordinate.
    public func mapFeatures(_ transform: (Double, Int) -> Double) -> Points {
        var mapped = values
        for i in 0..<count {
            for j in 0..<dimension { mapped[i * dimension + j] = transform(values[i * dimension + j], j) }
        }
        return Points(count: count, dimension: dimension, values: mapped)
    }
}
