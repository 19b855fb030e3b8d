/// The version of sdtrack that writes a record (`runs.sdtrack_version`), and that the command
/// line reports. Bumped with each release; CHANGELOG.md says what changed.
public let sdtrackVersion = "0.4.0"
