import Datasets
import Foundation
import ProjectFile

extension StarterProject {
    /// `lutbuild init --data`: `StarterProject.create` with the build's own
    /// data step (load, split, check against the model) run on the new
    /// project in memory first, so that a project init writes builds, and a
    /// refused one leaves no file behind.
    public static func createBuildable(
        in directory: URL, displayName: String, data: URL, labels: URL?, label: LabelColumn?, copyData: Bool
    ) throws -> (project: StarterProject, written: [String]) {
        try create(in: directory, displayName: displayName, data: data, labels: labels, label: label, copyData: copyData) {
            project, files in
            do {
                _ = try PreparedData.prepare(project.config.dataset, files: files, fit: DataFitRule(project.config))
            } catch let mismatch as DataDoesNotFitModel {
                throw project.userFacing(mismatch)
            }
        }
    }
}
