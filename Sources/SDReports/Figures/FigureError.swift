import SDCharts

/// A figure that cannot be drawn as asked: what is missing, and what to do instead.
public struct FigureError: Error, CustomStringConvertible, Sendable {
    public let description: String

    public init(_ description: String) { self.description = description }
}

extension Axis {
    /// The round number t: the x axis of every figure over rounds.
    static let rounds = Axis("round t", integers: true)
}
