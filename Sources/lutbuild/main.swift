import ArgumentParser
import Pipeline

struct Lutbuild: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lutbuild",
        abstract: "Turn a dataset into an ultra-low-latency NeuraLUT network in FPGA logic."
    )
}

Lutbuild.main()
