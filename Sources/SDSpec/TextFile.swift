import Foundation

/// A data file that cannot be read: it is missing, a folder, unreadable or not UTF-8.
public struct DataFileError: Error, CustomStringConvertible, Sendable {
    public let path: String
    public let description: String
}

/// Reads a UTF-8 text file, turning each way it can fail into one line that says what to give
/// instead (`expected`, e.g. "a CSV file").
public func readTextFile(_ path: String, expected: String) throws(DataFileError) -> String {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
        throw DataFileError(path: path, description: "no such file '\(path)'; pass \(expected)")
    }
    guard !isDirectory.boolValue else {
        throw DataFileError(path: path, description: "'\(path)' is a directory; pass \(expected)")
    }
    guard let data = FileManager.default.contents(atPath: path) else {
        throw DataFileError(path: path, description: "cannot read '\(path)'; check its permissions")
    }
    guard let text = String(data: data, encoding: .utf8) else {
        throw DataFileError(path: path, description: "'\(path)' is not UTF-8 text; pass \(expected)")
    }
    return text
}
