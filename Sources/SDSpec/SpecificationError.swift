/// A specification that cannot run: which fields are wrong (by their configuration keys, such
/// as "test_fraction") and what is wrong with them. Front ends name the fields their own way
/// (the command line as --test-fraction).
public struct SpecificationError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The configuration keys concerned, in the order the message names them.
    public let fields: [String]
    /// The rest of the sentence after the fields' names: "must be in (0, 1), got 2; try 0.2".
    public let problem: String

    public init(_ fields: [String], _ problem: String) {
        self.fields = fields
        self.problem = problem
    }

    public init(_ field: String, _ problem: String) {
        self.init([field], problem)
    }

    /// The message with the fields named by `name`.
    public func message(naming name: (String) -> String) -> String {
        let names = fields.map(name)
        let subject =
            switch names.count {
            case 0: ""
            case 1: names[0]
            case 2: "\(names[0]) and \(names[1])"
            default: names.dropLast().joined(separator: ", ") + " and " + names.last!
            }
        return subject.isEmpty ? problem : "\(subject) \(problem)"
    }

    public var description: String { message { $0 } }
}
