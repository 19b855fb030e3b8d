import SDEngine
import SDJSON
import SDStore

/// How a new run is labelled: its experiment, tags and note.
public struct RunLabels: Sendable, Equatable {
    public static let defaultExperiment = RunRecord.defaultExperiment

    public var experiment: String
    public var tags: [Tag]
    public var note: String?

    public init(experiment: String = defaultExperiment, tags: [Tag] = [], note: String? = nil) {
        self.experiment = experiment
        self.tags = tags
        self.note = note
    }

    public func validate() throws(SpecificationError) {
        if experiment.isEmpty { throw SpecificationError("experiment", "needs a name, got an empty string") }
        var keys = Set<String>()
        for tag in tags where !keys.insert(tag.key).inserted {
            throw SpecificationError("tag", "gives the key '\(tag.key.shortened)' twice; give each key once")
        }
        for tag in tags {
            do throws(StoreError) {
                try tag.validate()
            } catch {
                throw SpecificationError("tag", "'\((tag.key + "=" + tag.value).shortened)': \(error.message)")
            }
        }
    }
}

/// Everything `sdtrack run` is asked to do: the data, the kernel, how c_t is chosen, how many
/// rounds at most, and how the run is labelled. Its configuration (`configuration(...)`) is
/// what the store records and what queries group runs by.
public struct RunSpecification: Sendable, Equatable {
    public var data: DataSpecification
    public var kernel: KernelRequest
    public var mode: ModeSpecification
    /// The most rounds; nil runs until the run collapses, at most
    /// `DistillationSettings.defaultMaxRounds`.
    public var maxRounds: Int?
    public var labels: RunLabels
    /// The solver path. Not part of the configuration: the paths give the same rounds to 1e-10
    /// wherever c_t is determined that well (docs/math.md section 8), and the run records
    /// which one ran.
    public var solver: SolverChoice

    public init(
        data: DataSpecification = DataSpecification(), kernel: KernelRequest = KernelRequest(),
        mode: ModeSpecification = ModeSpecification(), maxRounds: Int? = nil,
        labels: RunLabels = RunLabels(), solver: SolverChoice = .auto
    ) {
        self.data = data
        self.kernel = kernel
        self.mode = mode
        self.maxRounds = maxRounds
        self.labels = labels
        self.solver = solver
    }

    public var resolvedMaxRounds: Int { maxRounds ?? DistillationSettings.defaultMaxRounds }

    /// Checks every field, so that a bad specification fails before it loads or records
    /// anything.
    public func validate() throws(SpecificationError) {
        try data.validate()
        try kernel.validate()
        try mode.validate()
        if let maxRounds, !(1...RoundRecord.largestT + 1).contains(maxRounds) {
            throw SpecificationError("max_rounds", "must be from 1 to \(RoundRecord.largestT + 1), got \(maxRounds)")
        }
        try labels.validate()
    }

    /// The run's configuration, in canonical form: the specification as asked, what the data
    /// are (name, fingerprint, sizes), and under "resolved" what the data decided (the
    /// kernel's default length scale, eps from eps-rel). Runs that differ only in seed have
    /// equal configurations outside "seed" and "resolved" (`GroupKey`).
    public func configuration(data loaded: LoadedData, kernel resolved: Kernel, eps: Double?) -> JSONValue {
        let dataset = loaded.dataset
        return JSONValue.object([
            ("dataset", .string(dataset.name)),
            ("source_sha256", .optional(loaded.sourceFingerprint)),
            ("features", .array(dataset.featureNames.map(JSONValue.string))),
            ("target", .string(dataset.targetName)),
            ("K", .int(dataset.train.count)),
            ("test_size", .int(dataset.test?.count ?? 0)),
            ("truth_grid_size", .int(dataset.truth?.count ?? 0)),
            ("standardize", .bool(data.standardize)),
            ("test_fraction", .optional(data.testFraction)),
            ("test_file", .optional(data.testFile)),
            // validate() keeps the seed within Int; beyond, it stays a (positive) number.
            ("seed", Int(exactly: data.seed).map(JSONValue.int) ?? .number(Double(data.seed))),
            ("n", data.isSine ? .int(data.pointCount ?? DataSpecification.defaultPointCount) : .null),
            ("noise", .optional(data.resolvedNoise)),
            ("kernel", kernel.json),
            ("mode", .string(mode.mode.name)),
            ("eps", .optional(mode.eps)),
            ("eps_rel", .optional(mode.resolvedEpsRel)),
            ("c", .optional(mode.fixedC)),
            ("max_rounds", .int(resolvedMaxRounds)),
            ("resolved", .object([("kernel", resolved.json), ("eps", .optional(eps))])),
            ("sdtrack_version", .string(sdtrackVersion)),
        ]).canonical
    }
}
