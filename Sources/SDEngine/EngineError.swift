/// An input the engine cannot work with. The message is one line that says what is wrong
/// and what to do; the CLI prints it as it is.
public struct EngineError: Error, CustomStringConvertible, Equatable {
    public enum Code: String, Sendable {
        /// A CSV or data set that cannot be used: ragged rows, non-numbers, unknown columns.
        case invalidData = "invalid_data"
        /// A parameter outside its domain (eps <= 0, too few points, ...).
        case invalidParameter = "invalid_parameter"
        /// No c > 0 makes the training loss reach eps.
        case infeasibleEps = "infeasible_eps"
        /// A LAPACK routine failed on this input.
        case numerical
    }

    public let code: Code
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
