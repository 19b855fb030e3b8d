import SDJSON
import SDStore

/// Where in a document a value is wrong, and what is wrong with it.
public struct DocumentError: Error, CustomStringConvertible, Equatable, Sendable {
    /// A path into the document: `runs[2].rounds[0].test_mse`; empty for the document itself.
    public let location: String
    public let problem: String

    public init(_ location: String, _ problem: String) {
        self.location = location
        self.problem = problem
    }

    public var description: String { location.isEmpty ? problem : "\(location): \(problem)" }
}

extension RunDocument {
    /// The runs of an `sdtrack.export/1` or `sdtrack.record/1` document, exactly as they
    /// were recorded (provenance `.recorded`). Refuses other formats, unknown or missing
    /// fields and values of the wrong kind, naming where.
    public static func runs(in document: JSONValue) throws(DocumentError) -> [CompleteRun] {
        guard case .object = document else { throw DocumentError("", "the document is not a JSON object") }
        guard let format = document["format"]?.stringValue else {
            throw DocumentError("", "the document has no \"format\"; sdtrack reads \(exportFormat) and \(recordFormat)")
        }
        switch format {
        case exportFormat:
            guard case .object(let members) = document, members.allSatisfy({ ["format", "runs"].contains($0.0) }),
                case .array(let runs)? = document["runs"]
            else {
                throw DocumentError("", "an \(exportFormat) document is {\"format\", \"runs\": [...]}")
            }
            return try runs.enumerated().map { (index, run) throws(DocumentError) in
                try completeRun(from: run, location: "runs[\(index)]")
            }
        case recordFormat:
            return [try completeRun(from: document, location: "", allowing: ["format"])]
        case listFormat:
            throw DocumentError(
                "", "\(listFormat) lists runs without their rounds; export them with sdtrack runs export")
        default:
            let known = format.hasPrefix("sdtrack.export/") || format.hasPrefix("sdtrack.record/")
            throw DocumentError(
                "",
                known
                    ? "format \(format) is newer than this sdtrack's (\(exportFormat), \(recordFormat)); upgrade "
                        + "sdtrack"
                    : "format \(format) is not one sdtrack imports (\(exportFormat), \(recordFormat))")
        }
    }

    /// One record (a run's summary, config, rounds and spectrum).
    public static func completeRun(from value: JSONValue, location: String, allowing extra: Set<String> = [])
        throws(DocumentError) -> CompleteRun
    {
        guard case .object(let members) = value else { throw DocumentError(location, "a run must be a JSON object") }
        var fields = [String: JSONValue]()
        for (key, member) in members {
            guard fields.updateValue(member, forKey: key) == nil else {
                throw DocumentError(location, "field \"\(key)\" is given twice")
            }
        }
        let known = Set(RunField.all.map(\.name)).union(["tags", "config", "rounds", "spectrum"]).union(extra)
        if let unknown = members.map(\.0).first(where: { !known.contains($0) }) {
            throw DocumentError(location, "unknown field \"\(unknown)\"")
        }
        let id = fields["run_id"]?.stringValue ?? "?"
        let here = location.isEmpty ? "run \(id)" : "\(location) (run \(id))"
        var run = RunRecord(
            id: "", experiment: "", status: .running, source: .sdtrack,
            createdAt: Timestamp(millisecondsSince1970: 0), host: "", pid: nil, sdtrackVersion: "",
            configJSON: "{}", config: RunConfig())
        for field in RunField.all {
            let json = fields[field.name]
            if json == nil && field.isRequired { throw DocumentError(here, "field \"\(field.name)\" is missing") }
            let value = try fieldValue(
                json ?? .null, kind: field.kind, name: field.name, required: field.isRequired,
                location: here)
            guard field.set(value, on: &run) else {
                let shown = json?.messageText ?? "null"
                let problem =
                    switch field {
                    case _ where value == nil: "\(field.name) must not be null"
                    case .status:
                        "status \(shown) is not one of \(RunStatus.allCases.map(\.rawValue).joined(separator: ", "))"
                    case .source:
                        "source \(shown) is not one of \(RunSource.allCases.map(\.rawValue).joined(separator: ", "))"
                    default: "\(field.name) \(shown) is not a UTC time such as 2026-11-29T08:00:00.000Z"
                    }
                throw DocumentError(here, problem)
            }
        }
        guard RunRecord.isValidID(run.id) else { throw DocumentError(here, "run_id is not a lower-case UUID") }
        switch fields["config"] {
        case .object?, .raw?:
            if fields["config"]!.containsNonFiniteNumber {
                throw DocumentError(here, "config has a number beyond a double's range")
            }
            run.configJSON = fields["config"]!.serialized()
        default: throw DocumentError(here, "config must be a JSON object")
        }
        run.tags = try tags(fields["tags"] ?? .null, location: here)
        guard case .array(let roundValues)? = fields["rounds"] else {
            throw DocumentError(here, "rounds must be an array")
        }
        let rounds = try roundValues.enumerated().map { (index, value) throws(DocumentError) in
            try round(value, location: "\(here).rounds[\(index)]")
        }
        let spectrum = try spectrum(fields["spectrum"] ?? .null, location: "\(here).spectrum")
        if run.roundCount != rounds.count {
            throw DocumentError(here, "round_count is \(run.roundCount) but there are \(rounds.count) rounds")
        }
        return CompleteRun(run: run, rounds: rounds, spectrum: spectrum, provenance: .recorded)
    }

    /// A round: `t`, then any metrics (docs/math.md's by their names, others kept by name).
    public static func round(_ value: JSONValue, location: String) throws(DocumentError) -> RoundRecord {
        guard case .object(let members) = value else { throw DocumentError(location, "a round must be a JSON object") }
        guard let t = value["t"]?.intValue, RoundRecord.isValidT(t) else {
            throw DocumentError(
                location, "t must be \(RoundRecord.validTDescription), got \(value["t"]?.messageText ?? "none")")
        }
        var round = RoundRecord(t: t)
        for (name, member) in members where name != "t" {
            if member.isNull, RoundMetric.named(name) != nil { continue }
            guard let number = member.doubleValue, number.isFinite else {
                throw DocumentError(location, "metric \(name) is \(member.messageText), not a finite number")
            }
            round[metricNamed: name] = number
        }
        return round
    }

    static func spectrum(_ value: JSONValue, location: String) throws(DocumentError) -> SpectrumRecord? {
        if value.isNull { return nil }
        guard case .object = value, let length = value["length"]?.intValue,
            let tolerance = value["zero_tolerance"]?.doubleValue, tolerance.isFinite, tolerance >= 0,
            case .array(let eigenvalues)? = value["eigenvalues"], case .array(let z0)? = value["z0"]
        else {
            throw DocumentError(
                location,
                "a spectrum is {\"length\", \"eigenvalues\", \"z0\", \"zero_tolerance\"}, "
                    + "with a finite zero_tolerance >= 0")
        }
        func numbers(_ values: [JSONValue], _ name: String) throws(DocumentError) -> [Double] {
            var numbers = [Double]()
            numbers.reserveCapacity(values.count)
            for value in values {
                guard let number = value.doubleValue, number.isFinite else {
                    throw DocumentError(location, "\(name) holds \(value.messageText), not a finite number")
                }
                numbers.append(number)
            }
            return numbers
        }
        let d = try numbers(eigenvalues, "eigenvalues"), z = try numbers(z0, "z0")
        guard d.count == length, z.count == length, length >= 1 else {
            throw DocumentError(location, "length is \(length) but eigenvalues has \(d.count) and z0 \(z.count) values")
        }
        return SpectrumRecord(d: d, z0: z, zeroTolerance: tolerance)
    }

    public static func tags(_ value: JSONValue, location: String) throws(DocumentError) -> [Tag] {
        do {
            return try Tag.tags(from: value)
        } catch {
            throw DocumentError(location, error.message)
        }
    }

    /// A JSON value as a field of `kind`; nil for null (which `required` fields refuse).
    static func fieldValue(_ json: JSONValue, kind: FieldKind, name: String, required: Bool, location: String)
        throws(DocumentError) -> FieldValue?
    {
        if json.isNull { return nil }
        guard let value = kind.value(of: json) else {
            throw DocumentError(
                location, "\(name) must be \(kind.expected)\(required ? "" : " or null"), got \(json.messageText)")
        }
        return value
    }
}
