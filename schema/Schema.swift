/// The database schema: the SQL files in this folder, embedded in the binary at build time
/// so that schema/ stays the one source of truth. Migration i (0-based) takes a database
/// from `PRAGMA user_version` i to i + 1.
public enum Schema {
    /// Every migration in order. A new one is added as schema/vNNN-what.sql, listed in
    /// Package.swift's `resources` and appended here; shipped ones are never edited.
    public static let migrations: [(name: String, sql: String)] = [
        ("v001-initial.sql", String(decoding: PackageResources.v001_initial_sql, as: UTF8.self)),
        ("v002-zero-predictor.sql", String(decoding: PackageResources.v002_zero_predictor_sql, as: UTF8.self)),
        ("v003-group-key.sql", String(decoding: PackageResources.v003_group_key_sql, as: UTF8.self)),
        ("v004-curves.sql", String(decoding: PackageResources.v004_curves_sql, as: UTF8.self)),
        ("v005-canonical-config.sql", String(decoding: PackageResources.v005_canonical_config_sql, as: UTF8.self)),
        ("v006-sync.sql", String(decoding: PackageResources.v006_sync_sql, as: UTF8.self)),
        ("v007-warning.sql", String(decoding: PackageResources.v007_warning_sql, as: UTF8.self)),
        ("v008-solver.sql", String(decoding: PackageResources.v008_solver_sql, as: UTF8.self)),
    ]

    /// The `user_version` of a database that has every migration applied.
    public static var version: Int { migrations.count }

    /// `PRAGMA application_id` of an sdtrack database: 'SDTR'.
    public static let applicationID: Int32 = 0x5344_5452
}
