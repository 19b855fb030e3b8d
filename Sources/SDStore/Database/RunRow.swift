/// How a `RunRecord` maps onto the runs table's columns, in one place for writing and reading.
enum RunRow {
    static let columns = [
        "run_id", "experiment", "status", "source", "created_at", "started_at", "ended_at", "heartbeat_at",
        "host", "pid", "sdtrack_version", "error", "config_json",
        "dataset", "data_sha256", "K", "test_size", "kernel", "gamma", "length_scale", "degree", "coef0", "depth",
        "mode", "eps", "c", "seed", "noise",
        "round_count", "r0", "kappa", "collapse_round", "bound_lower", "bound_upper", "bounds_held", "checks_held", "note",
        "zero_train_mse", "zero_test_mse", "zero_truth_mse",
    ]

    static let columnList = columns.joined(separator: ", ")
    static let insertSQL = "INSERT INTO runs (\(columnList)) VALUES (\(columns.map { _ in "?" }.joined(separator: ", ")))"

    static func values(_ run: RunRecord) -> [SQLiteValue] {
        let config = run.config, summary = run.summary
        return [
            .text(run.id), .text(run.experiment), .text(run.status.rawValue), .text(run.source.rawValue),
            .text(run.createdAt.iso8601), .text(run.startedAt?.iso8601), .text(run.endedAt?.iso8601),
            .text(run.heartbeatAt?.iso8601), .text(run.host), .integer(run.pid), .text(run.sdtrackVersion),
            .text(run.error), .text(run.configJSON),
            .text(config.dataset), .text(config.dataSHA256), .integer(config.k), .integer(config.testSize),
            .text(config.kernel), .real(config.gamma), .real(config.lengthScale), .integer(config.degree),
            .real(config.coef0), .integer(config.depth), .text(config.mode), .real(config.eps), .real(config.c),
            .integer(config.seed), .real(config.noise),
            .integer(run.roundCount), .real(summary.r0), .real(summary.kappa), .integer(summary.collapseRound),
            .integer(summary.boundLower), .integer(summary.boundUpper), .bool(summary.boundsHeld),
            .bool(summary.checksHeld), .text(run.note),
            .real(run.zeroPredictor.trainMSE), .real(run.zeroPredictor.testMSE), .real(run.zeroPredictor.truthMSE),
        ]
    }

    /// Reads a row selected with `columnList`; tags are read separately.
    static func record(_ row: SQLiteRow) throws -> RunRecord {
        func timestamp(_ column: Int32) -> Timestamp? { row.string(column).flatMap(Timestamp.init(iso8601:)) }
        guard let id = row.string(0), let status = row.string(2).flatMap(RunStatus.init(rawValue:)),
              let source = row.string(3).flatMap(RunSource.init(rawValue:)), let created = timestamp(4) else {
            throw StoreError(.corrupt, "a row of the runs table has no valid run_id, status, source or created_at")
        }
        var config = RunConfig()
        config.dataset = row.string(13)
        config.dataSHA256 = row.string(14)
        config.k = row.int(15)
        config.testSize = row.int(16)
        config.kernel = row.string(17)
        config.gamma = row.double(18)
        config.lengthScale = row.double(19)
        config.degree = row.int(20)
        config.coef0 = row.double(21)
        config.depth = row.int(22)
        config.mode = row.string(23)
        config.eps = row.double(24)
        config.c = row.double(25)
        config.seed = row.int(26)
        config.noise = row.double(27)
        var run = RunRecord(id: id, experiment: row.string(1) ?? "default", status: status, source: source,
                            createdAt: created, host: row.string(8) ?? "", pid: row.int(9),
                            sdtrackVersion: row.string(10) ?? "", configJSON: row.string(12) ?? "{}", config: config,
                            note: row.string(36))
        run.startedAt = timestamp(5)
        run.endedAt = timestamp(6)
        run.heartbeatAt = timestamp(7)
        run.error = row.string(11)
        run.roundCount = row.int(28) ?? 0
        run.summary.r0 = row.double(29)
        run.summary.kappa = row.double(30)
        run.summary.collapseRound = row.int(31)
        run.summary.boundLower = row.int(32)
        run.summary.boundUpper = row.int(33)
        run.summary.boundsHeld = row.bool(34)
        run.summary.checksHeld = row.bool(35)
        run.zeroPredictor = ZeroPredictorErrors(trainMSE: row.double(37), testMSE: row.double(38), truthMSE: row.double(39))
        return run
    }
}
