import SDStore

/// A run's configuration columns in a few words, for `runs list` and `runs show`.
extension RunConfig {
    /// The kernel with the parameters it used: "rbf gamma=80".
    public var kernelSummary: String {
        guard let kernel else { return "-" }
        let parameters: [(String, Double?)] = [
            ("gamma", gamma), ("l", lengthScale), ("degree", degree.map(Double.init)),
            ("depth", depth.map(Double.init)),
        ]
        let given = parameters.compactMap { name, value in value.map { "\(name)=\(TextTable.number($0))" } }
        return given.isEmpty ? kernel : "\(kernel) \(given.joined(separator: " "))"
    }

    /// The constant c_t came from: "c=0.01" (fixed c) or "eps=0.01".
    public var modeSummary: String {
        if let c { return "c=\(TextTable.number(c))" }
        if let eps { return "eps=\(TextTable.number(eps))" }
        return mode ?? "-"
    }
}
