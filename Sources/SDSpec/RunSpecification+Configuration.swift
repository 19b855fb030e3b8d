import SDEngine
import SDJSON

extension RunSpecification {
    /// The members of a run's configuration, as `configuration(data:kernel:eps:)` writes them.
    public static let configurationKeys = [
        "dataset", "source_sha256", "features", "target", "K", "test_size", "truth_grid_size", "standardize",
        "test_fraction", "test_file", "seed", "n", "noise", "kernel", "mode", "eps", "eps_rel", "c",
        "max_rounds", "resolved", "sdtrack_version",
    ]

    /// The specification a recorded configuration was made from: the inverse of
    /// `configuration(data:kernel:eps:)`, so that a run can be computed again. Its
    /// configuration (with the same data) is byte for byte the one read.
    ///
    /// The data source is "dataset" (a built-in name, or the CSV path as given at run time);
    /// for a CSV file, "target" and "features" become the columns asked for (by name). The
    /// members that record what the data and the run gave (source_sha256, K, test_size,
    /// truth_grid_size, resolved, sdtrack_version) are checked for their type only; the labels
    /// (experiment, tags, note) are not part of a configuration and are the defaults. Every
    /// member must be there, and no other; a missing, unknown or malformed member is an error
    /// naming it (nested members as "kernel.gamma"), and the result is validated.
    public init(configuration: JSONValue) throws(SpecificationError) {
        var configuration = configuration
        if case .raw(let text) = configuration, let parsed = JSONValue.parse(text) { configuration = parsed }
        let members = try ConfigurationMembers(configuration, path: nil, keys: Self.configurationKeys)
        for key in ["source_sha256", "test_file"] { _ = try members.optionalString(key) }
        for key in ["K", "test_size", "truth_grid_size"] { _ = try members.int(key) }
        _ = try members.object("resolved")
        _ = try members.string("sdtrack_version")

        let source = try members.string("dataset")
        let target = try members.string("target")
        let features = try members.strings("features")
        let seed = try members.int("seed")
        guard seed >= 0 else { throw SpecificationError("seed", "must be a whole number >= 0, got \(seed)") }
        var data = DataSpecification(
            source: source, standardize: try members.bool("standardize"),
            testFile: try members.optionalString("test_file"),
            testFraction: try members.optionalNumber("test_fraction"), seed: UInt64(seed),
            pointCount: try members.optionalInt("n"), noise: try members.optionalNumber("noise"))
        if data.isCSV {
            data.target = target
            data.features = features
        }

        let mode = ModeSpecification(
            eps: try members.optionalNumber("eps"), epsRel: try members.optionalNumber("eps_rel"),
            fixedC: try members.optionalNumber("c"))
        try mode.validate()
        let modeName = try members.string("mode")
        guard modeName == mode.mode.name else {
            throw SpecificationError(
                "mode", "'\(modeName.shortened)' does not match the eps, eps_rel and c given (\(mode.mode.name))")
        }

        self.init(
            data: data, kernel: try KernelRequest(configuration: members.value("kernel")), mode: mode,
            maxRounds: try members.int("max_rounds"))
        try validate()
    }
}

extension KernelRequest {
    /// The kernel as `json` writes it: its name and every parameter that applies to it.
    init(configuration: JSONValue) throws(SpecificationError) {
        guard case .object = configuration else {
            throw SpecificationError("kernel", "must be an object, got \(configuration.messageText.shortened)")
        }
        let name = try ConfigurationMembers(configuration, path: "kernel", keys: nil).string("name")
        let request = KernelRequest(name: name)
        try request.validate()
        let parameters: [String] =
            switch request.kernel {
            case .rbf, .laplacian: ["gamma", "bandwidth"]
            case .matern32, .matern52: ["bandwidth"]
            case .polynomial: ["degree", "gamma", "coef0"]
            case .linear: []
            case .ntk: ["depth"]
            }
        let members = try ConfigurationMembers(configuration, path: "kernel", keys: ["name"] + parameters)
        let has = Set(parameters)
        self.init(
            name: name,
            bandwidth: has.contains("bandwidth") ? try members.optionalNumber("bandwidth") : nil,
            gamma: has.contains("gamma") ? try members.optionalNumber("gamma") : nil,
            degree: has.contains("degree") ? try members.int("degree") : nil,
            coef0: has.contains("coef0") ? try members.number("coef0") : nil,
            depth: has.contains("depth") ? try members.int("depth") : nil)
    }
}

/// An object's members read by key, each missing, unknown or mistyped one an error naming it.
private struct ConfigurationMembers {
    let members: [(String, JSONValue)]
    /// The object's key in its parent ("kernel"), nil for the configuration itself.
    let path: String?

    /// The members of `value`, which must be an object; with `keys`, it must have exactly those.
    init(_ value: JSONValue, path: String?, keys: [String]?) throws(SpecificationError) {
        guard case .object(let members) = value else {
            throw SpecificationError(
                [], "a run's configuration must be a JSON object, got \(value.messageText.shortened)")
        }
        self.members = members
        self.path = path
        guard let keys else { return }
        for (key, _) in members where !keys.contains(key) {
            throw SpecificationError(field(key), "is not a member of a run's configuration; remove it")
        }
        for key in keys where !members.contains(where: { $0.0 == key }) {
            throw SpecificationError(field(key), "is missing from the configuration")
        }
    }

    /// The key as errors name it: "kernel.gamma" inside the kernel.
    func field(_ key: String) -> String { path.map { "\($0).\(key)" } ?? key }

    func value(_ key: String) throws(SpecificationError) -> JSONValue {
        guard let value = members.last(where: { $0.0 == key })?.1 else {
            throw SpecificationError(field(key), "is missing from the configuration")
        }
        return value
    }

    private func mistyped(_ key: String, _ expected: String, _ value: JSONValue) -> SpecificationError {
        SpecificationError(field(key), "must be \(expected), got \(value.messageText.shortened)")
    }

    func string(_ key: String) throws(SpecificationError) -> String {
        let value = try value(key)
        guard let string = value.stringValue else { throw mistyped(key, "a string", value) }
        return string
    }

    func optionalString(_ key: String) throws(SpecificationError) -> String? {
        let value = try value(key)
        if value.isNull { return nil }
        guard let string = value.stringValue else { throw mistyped(key, "a string or null", value) }
        return string
    }

    func strings(_ key: String) throws(SpecificationError) -> [String] {
        let value = try value(key)
        guard case .array(let elements) = value else { throw mistyped(key, "an array of strings", value) }
        var strings = [String]()
        for element in elements {
            guard let string = element.stringValue else { throw mistyped(key, "an array of strings", value) }
            strings.append(string)
        }
        return strings
    }

    func bool(_ key: String) throws(SpecificationError) -> Bool {
        let value = try value(key)
        guard let bool = value.boolValue else { throw mistyped(key, "true or false", value) }
        return bool
    }

    func int(_ key: String) throws(SpecificationError) -> Int {
        let value = try value(key)
        guard let int = value.intValue else { throw mistyped(key, "a whole number", value) }
        return int
    }

    func optionalInt(_ key: String) throws(SpecificationError) -> Int? {
        let value = try value(key)
        if value.isNull { return nil }
        guard let int = value.intValue else { throw mistyped(key, "a whole number or null", value) }
        return int
    }

    func number(_ key: String) throws(SpecificationError) -> Double {
        let value = try value(key)
        guard let number = value.doubleValue else { throw mistyped(key, "a number", value) }
        return number
    }

    func optionalNumber(_ key: String) throws(SpecificationError) -> Double? {
        let value = try value(key)
        if value.isNull { return nil }
        guard let number = value.doubleValue else { throw mistyped(key, "a number or null", value) }
        return number
    }

    func object(_ key: String) throws(SpecificationError) -> JSONValue {
        let value = try value(key)
        guard case .object = value else { throw mistyped(key, "an object", value) }
        return value
    }
}
