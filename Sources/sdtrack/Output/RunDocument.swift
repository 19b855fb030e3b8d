import SDStore

/// Recorded runs as JSON: one layout for `runs list`, `runs show` and `runs export`, with
/// the database's column names as keys.
enum RunDocument {
    /// `runs list --json`.
    static let listFormat = "sdtrack.runs/1"
    /// `runs show --json`: one run with its configuration, rounds and spectra.
    static let recordFormat = "sdtrack.record/1"
    /// `runs export --format json`: several records.
    static let exportFormat = "sdtrack.export/1"

    /// Everything in the run's row: what `runs list --json` gives for each run.
    static func summary(_ run: RunRecord) -> [(String, JSONValue)] {
        let config = run.config, summary = run.summary
        return [
            ("run_id", .string(run.id)), ("experiment", .string(run.experiment)), ("status", .string(run.status.rawValue)),
            ("source", .string(run.source.rawValue)), ("created_at", .string(run.createdAt.iso8601)),
            ("started_at", .optional(run.startedAt?.iso8601)), ("ended_at", .optional(run.endedAt?.iso8601)),
            ("heartbeat_at", .optional(run.heartbeatAt?.iso8601)), ("host", .string(run.host)), ("pid", .optional(run.pid)),
            ("sdtrack_version", .string(run.sdtrackVersion)), ("error", .optional(run.error)),
            ("dataset", .optional(config.dataset)), ("data_sha256", .optional(config.dataSHA256)), ("K", .optional(config.k)),
            ("test_size", .optional(config.testSize)), ("kernel", .optional(config.kernel)), ("gamma", .optional(config.gamma)),
            ("length_scale", .optional(config.lengthScale)), ("degree", .optional(config.degree)),
            ("coef0", .optional(config.coef0)), ("depth", .optional(config.depth)), ("mode", .optional(config.mode)),
            ("eps", .optional(config.eps)), ("c", .optional(config.c)), ("seed", .optional(config.seed)),
            ("noise", .optional(config.noise)), ("round_count", .int(run.roundCount)), ("r0", .optional(summary.r0)),
            ("kappa", .optional(summary.kappa)), ("collapse_round", .optional(summary.collapseRound)),
            ("bound_lower", .optional(summary.boundLower)), ("bound_upper", .optional(summary.boundUpper)),
            ("bounds_held", .optional(summary.boundsHeld)), ("checks_held", .optional(summary.checksHeld)),
            ("zero_train_mse", .optional(run.zeroPredictor.trainMSE)), ("zero_test_mse", .optional(run.zeroPredictor.testMSE)),
            ("zero_truth_mse", .optional(run.zeroPredictor.truthMSE)),
            ("note", .optional(run.note)), ("tags", .object(run.tags.map { ($0.key, .string($0.value)) })),
        ]
    }

    /// The whole run: its row, full configuration, rounds and spectra.
    static func record(_ run: RunRecord, rounds: [RoundRecord], spectrum: SpectrumRecord?) -> [(String, JSONValue)] {
        summary(run) + [
            ("config", .raw(run.configJSON)),
            ("rounds", .array(rounds.map { .object(self.round($0)) })),
            ("spectrum", spectrum.map { spectrum in
                .object([
                    ("length", .int(spectrum.d.count)), ("eigenvalues", .numbers(spectrum.d)),
                    ("z0", .numbers(spectrum.z0)), ("zero_tolerance", .number(spectrum.zeroTolerance)),
                ])
            } ?? .null),
        ]
    }

    /// t, math.md's quantities under the keys `sdtrack run --json` uses, then other metrics by name.
    static func round(_ round: RoundRecord) -> [(String, JSONValue)] {
        [("t", .int(round.t))]
            + zip(RoundRecord.columns, round.columnValues).map { ($0, .optional($1)) }
            + round.extra.sorted { $0.key < $1.key }.map { ($0.key, .number($0.value)) }
    }
}
