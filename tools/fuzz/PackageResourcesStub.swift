enum PackageResources {
    static let v001_initial_sql: [UInt8] = []
    static let v002_zero_predictor_sql: [UInt8] = []
    static let v003_group_key_sql: [UInt8] = []
    static let v004_curves_sql: [UInt8] = []
    static let v005_canonical_config_sql: [UInt8] = []
    static let v006_sync_sql: [UInt8] = []
    static let v007_warning_sql: [UInt8] = []
    static let v008_solver_sql: [UInt8] = []
}
