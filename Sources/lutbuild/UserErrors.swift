import ArgumentParser
import Datasets
import Foundation
import Pipeline

/// Runs `body`; mistakes in the user's input (project file, data, existing
/// files) are printed to stderr, one line each, and end the run with exit code 2.
func reportingUserErrors<T>(_ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let error as ProjectError {
        printError(error.description)
    } catch let error as DatasetError {
        printError("error: \(error.description)")
    } catch let error as ProjectTemplate.Conflict {
        printError("error: \(error.description)")
    } catch let error as ProjectTemplate.Failure {
        printError("error: \(error.description)")
    } catch let error as PipelineError {
        printError("error: \(error)")
    }
    throw ExitCode(2)
}

/// Writes one message to stderr.
func printError(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}
