import Foundation
import SDCharts

/// Writing a figure where the user asked: SVG, an HTML page around it, or PNG through a
/// converter that is installed (rsvg-convert, else Chromium); "-" is standard output (SVG).
public enum FigureFile {
    public enum Format: String, Sendable {
        case svg, html, png
    }

    /// The format a path's extension names; nil for other extensions.
    public static func format(of path: String) -> Format? {
        if path == "-" { return .svg }
        return Format(rawValue: (path as NSString).pathExtension.lowercased())
    }

    /// Writes `figure` to `path` in its extension's format (an HTML page has a slider for a
    /// figure of rounds, `Page.figure`). Throws FigureError when no converter is there for PNG
    /// or the file cannot be written.
    public static func write(_ figure: Figure, to path: String) throws {
        switch format(of: path) {
        case .svg?:
            if path == "-" {
                FileHandle.standardOutput.write(Data(figure.svgDocument().utf8))
            } else {
                try save(figure.svgDocument(), to: path)
            }
        case .html?:
            var page = Page(title: figure.title)
            page.figure(figure)
            try save(page.document(), to: path)
        case .png?: try png(figure, to: path)
        case nil: throw FigureError("cannot tell the format of '\(path.shortened)': name the file .svg, .png or .html")
        }
    }

    public static func save(_ text: String, to path: String) throws {
        do {
            try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw FigureError("cannot write \(path.shortened): \(Self.reason(error)); check that its folder exists")
        }
    }

    static func reason(_ error: any Error) -> String {
        ((error as NSError).userInfo[NSUnderlyingErrorKey] as? NSError)?.localizedDescription
            ?? error.localizedDescription
    }

    /// The converters tried for PNG, in order: rsvg-convert draws SVG exactly and fast;
    /// Chromium's headless screenshot is the fallback.
    static let converters = ["rsvg-convert", "chromium", "chromium-browser", "google-chrome"]

    static func png(_ figure: Figure, to path: String) throws {
        guard let (name, converter) = converters.lazy.compactMap({ name in executable(name).map { (name, $0) } }).first
        else {
            throw FigureError(
                "cannot write PNG: no converter found (rsvg-convert or chromium); install librsvg2-bin, or write "
                    + "\((path as NSString).deletingPathExtension).svg instead")
        }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sdtrack-png-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let svg = folder.appendingPathComponent("figure.svg").path
        try save(figure.svgDocument(), to: svg)
        let output = URL(fileURLWithPath: path).standardizedFileURL.path
        let width = Int(figure.width.rounded(.up)), height = Int(figure.height.rounded(.up))
        let arguments =
            name == "rsvg-convert"
            ? ["--zoom", "2", "--background-color", "white", "-o", output, svg]
            : [
                "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--force-device-scale-factor=2",
                "--window-size=\(width),\(height)", "--user-data-dir=\(folder.path)/profile",
                "--screenshot=\(output)", URL(fileURLWithPath: svg).absoluteString,
            ]
        let process = Process()
        process.executableURL = URL(fileURLWithPath: converter)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        // A converter that hangs (a browser waiting on something) is stopped after a minute.
        let watchdog = DispatchWorkItem { if process.isRunning { process.terminate() } }
        DispatchQueue.global().asyncAfter(deadline: .now() + 60, execute: watchdog)
        let message = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        watchdog.cancel()
        guard process.terminationStatus == 0, FileManager.default.fileExists(atPath: output) else {
            let said = String(decoding: message, as: UTF8.self).split(separator: "\n").last.map(String.init) ?? ""
            throw FigureError("\(name) could not write \(path.shortened) (exit \(process.terminationStatus)): \(said)")
        }
    }

    /// The path of an executable on PATH.
    static func executable(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/\(name)" }.first {
            FileManager.default.isExecutableFile(atPath: $0)
        }
    }
}
