import SDEngine
import SDJSON
import SDSpec
import SDStore

/// A sweep's grid made concrete: every point's run specification, validated, numbered, and
/// gathered into groups that share one decomposition; and the sweep's id.
///
/// The id is the first 12 hex digits of the SHA-256 of the spec in canonical form (its
/// options and values in order, and its experiment): running the same spec again, on this
/// machine or another, is the same sweep, so it resumes. Runs carry it as the tag
/// `sweep=ID` and their point's number as `sweep.point=N`.
public struct SweepPlan: Sendable {
    public struct Point: Sendable {
        /// The point's number in the grid, 0 first (the first axis varies slowest).
        public let index: Int
        public let specification: RunSpecification
        /// The axis values of this point, by option name: what sets it apart in the grid.
        public let coordinates: [(option: SweepOption, value: SweepValue)]
    }

    /// Points that share data, kernel and seed, and so one decomposition.
    public struct Group: Sendable {
        public let index: Int
        public let points: [Point]
    }

    public let id: String
    public let groups: [Group]
    public var points: [Point] { groups.flatMap(\.points).sorted { $0.index < $1.index } }
    public var pointCount: Int { groups.reduce(0) { $0 + $1.points.count } }

    /// The tag keys of a sweep's runs.
    public static let sweepTag = "sweep", pointTag = "sweep.point"

    /// The most points a sweep takes: each is a run and a row.
    public static let mostPoints = 1_000_000

    /// The plan of `spec`: the grid's points, each validated (so that a value outside its domain
    /// is an error naming its option before any run starts) and with its labels. A shard
    /// (`shard` of `shards`, 1-based) keeps every `shards`-th group, so that shards split the
    /// grid exactly, and each decomposition happens in one shard only.
    public init(_ spec: SweepSpecification, shard: Int = 1, of shards: Int = 1) throws(SweepError) {
        let axes = spec.options
        let total = axes.reduce(1.0) { $0 * Double($1.values.count) }
        guard total <= Double(Self.mostPoints) else {
            throw SweepError(
                "the grid has \(JSONNumber.display(total)) points, more than \(Self.mostPoints); split the sweep")
        }
        id = Self.id(of: spec)
        var base = RunSpecification()
        base.labels = RunLabels(experiment: spec.experiment, tags: spec.tags, note: spec.note)
        var groupIndex = [String: Int](), members = [[Point]]()
        for index in 0..<Int(total) {
            // The point's value of each axis: a mixed-radix digit of its index, first axis slowest.
            var rest = index, coordinates = [(option: SweepOption, value: SweepValue)]()
            for axis in axes.reversed() {
                coordinates.append((axis.option, axis.values[rest % axis.values.count]))
                rest /= axis.values.count
            }
            coordinates.reverse()
            var specification = base
            for (option, value) in coordinates { option.apply(value, to: &specification) }
            specification.labels.tags += [
                Tag(key: Self.sweepTag, value: id), Tag(key: Self.pointTag, value: String(index)),
            ]
            try Self.validate(specification, coordinates: coordinates)
            let point = Point(index: index, specification: specification, coordinates: coordinates)
            let key = Self.decompositionKey(coordinates)
            if let group = groupIndex[key] {
                members[group].append(point)
            } else {
                groupIndex[key] = members.count
                members.append([point])
            }
        }
        groups = members.enumerated().compactMap { index, points in
            index % shards == shard - 1 ? Group(index: index, points: points) : nil
        }
    }

    /// What a point's decomposition depends on: every coordinate but eps, eps-rel, c and rounds.
    static func decompositionKey(_ coordinates: [(option: SweepOption, value: SweepValue)]) -> String {
        JSONValue.array(coordinates.filter { !$0.option.sharesDecomposition }.map(\.value.json)).serialized()
    }

    static func validate(
        _ specification: RunSpecification, coordinates: [(option: SweepOption, value: SweepValue)]
    ) throws(SweepError) {
        do throws(SpecificationError) {
            try specification.validate()
        } catch {
            let at = coordinates.map { "\($0.option.rawValue)=\(JSONValue.display($0.value.json))" }
            throw SweepError(
                error.message(naming: SweepOption.named(field:))
                    + (at.isEmpty ? "" : " (at \(at.joined(separator: ", ").shortened))"))
        }
    }

    static func id(of spec: SweepSpecification) -> String {
        let canonical = JSONValue.object(
            [("experiment", .string(spec.experiment))]
                + spec.options.map { ($0.option.rawValue, .array($0.values.map(\.json))) }
        ).serialized()
        var hash = SHA256()
        hash.update(Array(canonical.utf8))
        return String(hash.hexDigest().prefix(12))
    }
}

extension JSONValue {
    /// A value as a person reads it in a message: strings bare, numbers as JSON writes them.
    static func display(_ value: JSONValue) -> String { value.stringValue ?? value.serialized() }
}
