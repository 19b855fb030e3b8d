import ArgumentParser
import SDEngine
import SDJSON
import SDSpec
import SDStore
import SDSweep

/// A number option in decimal syntax (0.01, 1e-3, -2.5), as the README promises: Swift's
/// `Double(_:)` also reads hexadecimal ("0x1p-3"), "nan" and "inf".
func decimal(_ text: String) throws -> Double {
    guard let value = CSVTable.number(text) else {
        throw ValidationError("a finite decimal number such as 0.01, 1e-3 or -2.5 is needed")
    }
    return value
}

extension SolverChoice: ExpressibleByArgument {}

/// A tag argument, or a usage error that says how to write one.
func parseTag(_ argument: String) throws -> Tag {
    do {
        return try Tag.parse(argument)
    } catch {
        throw ValidationError(error.message + CLIError.advice(error))
    }
}

/// A time argument: a date, a date-time or an age; or a usage error naming `option`.
func parseTime(_ text: String, option: String) throws -> Timestamp {
    guard let time = Timestamp(dateOrAge: text) else {
        let shown = text.shortened
        if Timestamp.ageSeconds(text) != nil {
            throw ValidationError(
                "\(option) '\(shown)' is further back than sdtrack counts (at most 10^11 seconds, and not before "
                    + "the year 1)")
        }
        throw ValidationError("\(option) '\(shown)' is not a time; give \(Timestamp.dateOrAgeForms)")
    }
    return time
}

/// Runs `body`, turning what the user's arguments or files got wrong before anything ran (a
/// `SpecificationError`, a sweep's `SweepError`, an unreadable `DataFileError`) into a usage
/// error (exit 64) that names the command line's options.
@discardableResult
func validating<Value>(_ body: () throws -> Value) throws -> Value {
    do {
        return try body()
    } catch let error as SpecificationError {
        throw ValidationError(error.message(naming: SpecificationOptionNames.option))
    } catch let error as SweepError {
        throw ValidationError(error.description)
    } catch let error as DataFileError {
        throw ValidationError(error.description)
    }
}
