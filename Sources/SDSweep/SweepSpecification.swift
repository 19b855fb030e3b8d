import SDEngine
import SDJSON
import SDSpec
import SDStore

/// A spec or flag a sweep cannot run: one line naming the key, found before any run starts.
public struct SweepError: Error, CustomStringConvertible, Sendable {
    public let description: String

    public init(_ description: String) { self.description = description }
}

/// What `sdtrack sweep` is asked to run: the options of `sdtrack run`, each one value or a list
/// of values (a grid axis), and the labels of its runs. The grid is the product of the axes,
/// the first axis varying slowest.
///
/// A spec file is a JSON object (or the same as YAML) whose keys are run options
/// (`SweepOption`) plus `experiment`, `tags` (an object of key: value) and `note`:
///
///     {"experiment": "eps-sweep", "data": "sine", "n": 200, "test_fraction": 0.25,
///      "eps": [0.001, 0.01, 0.1], "seed": "0..9", "kernel": "rbf", "bandwidth": [0.1, 0.2]}
///
/// A value is a scalar (fixed), a list (an axis), or for whole-number options a range "a..b"
/// (both ends included).
public struct SweepSpecification: Sendable, Equatable {
    /// Every option given, in the order given: one value or an axis of several.
    public var options: [(option: SweepOption, values: [SweepValue])]
    public var experiment: String
    public var tags: [Tag]
    public var note: String?

    public init(
        options: [(option: SweepOption, values: [SweepValue])] = [], experiment: String = RunLabels.defaultExperiment,
        tags: [Tag] = [], note: String? = nil
    ) {
        self.options = options
        self.experiment = experiment
        self.tags = tags
        self.note = note
    }

    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.options.elementsEqual(rhs.options) { $0.option == $1.option && $0.values == $1.values }
            && lhs.experiment == rhs.experiment && lhs.tags == rhs.tags && lhs.note == rhs.note
    }

    /// The labels' keys in a spec file, beside the options.
    public static let labelKeys = ["experiment", "tags", "note"]

    /// Reads a spec file: YAML when its name ends in .yaml or .yml (`SweepYAML`), else JSON.
    /// Throws SweepError naming the key for an unknown key, a value of the wrong type, an empty
    /// list or a malformed range, and the line of a syntax error.
    public init(text: String, source: String) throws(SweepError) {
        let value: JSONValue
        if source.lowercased().hasSuffix(".yaml") || source.lowercased().hasSuffix(".yml") {
            value = try SweepYAML.parse(text, source: source)
        } else {
            do {
                value = try JSONValue.parse(document: text)
            } catch {
                throw SweepError("\(source): \(error)")
            }
        }
        guard case .object(let members) = value else {
            throw SweepError("\(source): a sweep spec is a JSON object of run options, such as {\"eps\": [0.01, 0.1]}")
        }
        self.init()
        for (key, member) in members {
            switch key {
            case "experiment":
                guard let name = member.stringValue ?? member.doubleValue.map({ _ in member.serialized() }) else {
                    throw SweepError("\(source): experiment must be a string")
                }
                experiment = name
            case "note":
                guard let text = member.stringValue else { throw SweepError("\(source): note must be a string") }
                note = text
            case "tags":
                guard case .object(let pairs) = member else {
                    throw SweepError("\(source): tags must be an object of key: value, such as {\"paper\": \"fig3\"}")
                }
                tags = try pairs.map { key, value throws(SweepError) in
                    guard let text = value.stringValue ?? value.doubleValue.map(JSONNumber.display) else {
                        throw SweepError("\(source): tag '\(key.shortened)' must be a string or a number")
                    }
                    return Tag(key: key, value: text)
                }
            default:
                guard let option = SweepOption(rawValue: key) else {
                    throw SweepError(
                        "\(source): unknown key '\(key.shortened)'; known are "
                            + (Self.labelKeys + SweepOption.allCases.map(\.rawValue)).joined(separator: ", "))
                }
                try add(option, try Self.values(member, option: option, source: source))
            }
        }
    }

    /// Sets `option` to `values`, checking the list is neither empty nor repeats a value. An
    /// option given already (a spec's, replaced by the command line's) keeps its place among
    /// the axes, so that the grid's numbering and the sweep's id stay the same.
    public mutating func add(_ option: SweepOption, _ values: [SweepValue]) throws(SweepError) {
        guard !values.isEmpty else { throw SweepError("\(option.rawValue): an empty list gives an empty grid") }
        var seen = Set<SweepValue>()
        for value in values where !seen.insert(value).inserted {
            throw SweepError("\(option.rawValue) gives \(JSONValue.display(value.json).shortened) twice")
        }
        if let index = options.firstIndex(where: { $0.option == option }) {
            options[index].values = values
        } else {
            options.append((option, values))
        }
    }

    /// A flag's text: values separated by commas, and for whole-number options ranges "a..b".
    public static func values(flag text: String, option: SweepOption) throws(SweepError) -> [SweepValue] {
        var values = [SweepValue]()
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            let token = part.trimmingCharacters(in: .whitespaces)
            guard !token.isEmpty else {
                throw SweepError("--\(option.flag) '\(text.shortened)': an empty value; separate values by commas")
            }
            values += try option.parse(token, context: "--\(option.flag)")
        }
        return values
    }

    static func values(_ member: JSONValue, option: SweepOption, source: String) throws(SweepError) -> [SweepValue] {
        let context = "\(source): \(option.rawValue)"
        switch member {
        case .array(let elements):
            var values = [SweepValue]()
            for element in elements { values += try option.parse(element, context: context) }
            return values
        default: return try option.parse(member, context: context)
        }
    }
}

/// One value of a sweep option.
public enum SweepValue: Sendable, Equatable, Hashable {
    case number(Double)
    case integer(Int)
    case text(String)
    case flag(Bool)

    var json: JSONValue {
        switch self {
        case .number(let value): .number(value)
        case .integer(let value): .int(value)
        case .text(let value): .string(value)
        case .flag(let value): .bool(value)
        }
    }
}
