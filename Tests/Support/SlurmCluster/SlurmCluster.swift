import Foundation
import NginxCacheServer
#if canImport(Glibc)
import Glibc
#endif

/// A real one-node Slurm cluster for tests and benchmarks, as docs/sweep.md's
/// "On a cluster" describes the single-node setup: munged, slurmctld and
/// slurmd started by hand (no systemd) with their state, spool, logs, munge
/// key and socket in a temporary directory, on free loopback ports, the node
/// named after `hostname -s`. `environment` (`SLURM_CONF`) points Slurm's
/// commands at it.
///
/// `proctrack/linuxproc` and `task/none`: the cgroup plugins hang the first
/// job step in containers. `stop()` cancels every job before it kills the
/// daemons by PID, because `scontrol shutdown` leaves running jobs alive.
public final class SlurmCluster: @unchecked Sendable {
    public let directory: URL
    public let nodeName: String
    public let cpus: Int
    /// `SLURM_CONF` for `sbatch`, `squeue`, … (add it to the environment of what runs them).
    public let environment: [String: String]
    /// The daemons' PIDs, from their PID files, in start order.
    private var daemons: [pid_t] = []

    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    public static let daemonNames = ["munged", "slurmctld", "slurmd"]

    public init(cpus: Int? = nil) throws {
        var paths: [String: String] = [:]
        for name in Self.daemonNames + ["sbatch", "squeue", "scancel"] {
            guard let path = Self.find(name) else {
                throw Failure(description: "\(name) is not installed; run scripts/ensure-deps.sh (slurmctld slurmd slurm-client munge)")
            }
            paths[name] = path
        }
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("lutbuild-slurm-\(UUID().uuidString)")
        for sub in ["munge", "state", "spool", "log"] {
            try FileManager.default.createDirectory(at: directory.appendingPathComponent(sub), withIntermediateDirectories: true)
        }
        chmod(directory.appendingPathComponent("munge").path, 0o700)
        nodeName = Self.shortHostName()
        self.cpus = cpus ?? ProcessInfo.processInfo.activeProcessorCount
        let conf = directory.appendingPathComponent("slurm.conf")
        environment = ["SLURM_CONF": conf.path]

        let key = directory.appendingPathComponent("munge/munge.key")
        var bytes = [UInt8](repeating: 0, count: 1024)
        for i in bytes.indices { bytes[i] = UInt8.random(in: 0...255) }
        try Data(bytes).write(to: key)
        chmod(key.path, 0o400)
        let munge = directory.appendingPathComponent("munge").path
        let socket = munge + "/munge.socket"
        do {
            try start(
                paths["munged"]!,
                [
                    "--force", "--socket=\(socket)", "--key-file=\(key.path)",
                    "--pid-file=\(munge)/munged.pid", "--log-file=\(munge)/munged.log", "--seed-file=\(munge)/munged.seed",
                ],
                pidFile: "\(munge)/munged.pid")
            try waitFor("munged's socket") { FileManager.default.fileExists(atPath: socket) }

            let controllerPort = try NginxCacheServer.freePort()
            var nodePort = try NginxCacheServer.freePort()
            while nodePort == controllerPort { nodePort = try NginxCacheServer.freePort() }
            try configuration(socket: socket, controllerPort: controllerPort, nodePort: nodePort)
                .write(to: conf, atomically: true, encoding: .utf8)
            try start(paths["slurmctld"]!, ["-i", "-f", conf.path], pidFile: directory.path + "/slurmctld.pid")
            // A client started before the controller listens can hang for minutes.
            try waitFor("slurmctld to listen") { BoundSocket.connects(port: controllerPort) }
            try start(paths["slurmd"]!, ["-N", nodeName, "-f", conf.path], pidFile: directory.path + "/slurmd.pid")
            try waitFor("slurmd to listen") { BoundSocket.connects(port: nodePort) }
            try waitFor("the node to be idle") {
                let result = try? self.run("sinfo", ["-h", "-o", "%t"])
                return result?.output.trimmingCharacters(in: .whitespacesAndNewlines) == "idle"
            }
        } catch {
            let logs = ["log/slurmctld.log", "log/slurmd.log", "munge/munged.log"].map {
                "\($0):\n" + ((try? String(contentsOf: directory.appendingPathComponent($0), encoding: .utf8)) ?? "")
            }.joined(separator: "\n")
            stop()
            throw Failure(description: "the Slurm cluster did not start: \(error)\n\(logs.suffix(3000))")
        }
    }

    func configuration(socket: String, controllerPort: Int, nodePort: Int) -> String {
        let d = directory.path
        return """
            ClusterName=lutbuild-test
            SlurmctldHost=\(nodeName)(127.0.0.1)
            SlurmctldPort=\(controllerPort)
            SlurmdPort=\(nodePort)
            SlurmUser=\(NSUserName())
            SlurmdUser=root
            AuthType=auth/munge
            AuthInfo=socket=\(socket)
            StateSaveLocation=\(d)/state
            SlurmdSpoolDir=\(d)/spool
            SlurmctldPidFile=\(d)/slurmctld.pid
            SlurmdPidFile=\(d)/slurmd.pid
            SlurmctldLogFile=\(d)/log/slurmctld.log
            SlurmdLogFile=\(d)/log/slurmd.log
            ProctrackType=proctrack/linuxproc
            TaskPlugin=task/none
            SchedulerType=sched/builtin
            SchedulerParameters=sched_interval=1
            SelectType=select/cons_tres
            SelectTypeParameters=CR_Core
            ReturnToService=2
            MpiDefault=none
            JobAcctGatherType=jobacct_gather/none
            AccountingStorageType=accounting_storage/none
            MinJobAge=600
            NodeName=\(nodeName) NodeAddr=127.0.0.1 CPUs=\(cpus) State=UNKNOWN
            PartitionName=debug Nodes=\(nodeName) Default=YES MaxTime=INFINITE State=UP

            """
    }

    /// Runs a Slurm command against this cluster; stdout and stderr together.
    /// The output goes to a file, not a pipe: a client's helper may keep a
    /// pipe open after the client exits. Killed after `timeout` seconds (a
    /// client can wait minutes for a controller).
    public func run(_ tool: String, _ arguments: [String], timeout: Double = 30) throws -> (status: Int32, output: String) {
        guard let path = Self.find(tool) else { throw Failure(description: "\(tool) is not installed") }
        let output = directory.appendingPathComponent("log/client-\(UUID().uuidString).out")
        _ = FileManager.default.createFile(atPath: output.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: output) }
        let handle = try FileHandle(forWritingTo: output)
        defer { try? handle.close() }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        process.standardOutput = handle
        process.standardError = handle
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let status = Self.reap(process, timeout: timeout)
        return (status, (try? String(contentsOf: output, encoding: .utf8)) ?? "")
    }

    /// Waits for `process` with waitpid itself: under the test runner,
    /// Foundation can leave a short-lived child a zombie it never reaps, and
    /// `isRunning` stays true. Killed after `timeout` seconds.
    static func reap(_ process: Process, timeout: Double) -> Int32 {
        let pid = process.processIdentifier
        let deadline = Date().addingTimeInterval(timeout)
        var status: Int32 = 0
        while true {
            let result = waitpid(pid, &status, WNOHANG)
            if result == pid { return (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f) }
            if result < 0 {
                // Foundation reaped it first.
                process.waitUntilExit()
                return process.terminationStatus
            }
            if Date() > deadline { kill(pid, SIGKILL) }
            usleep(20_000)
        }
    }

    /// Cancels every job, waits for them to leave, then kills the daemons by
    /// PID (SIGKILL: test threads block SIGTERM, and children inherit it) and
    /// removes the directory.
    public func stop() {
        if daemons.count == 3 {
            _ = try? run("scancel", ["--full", "--user=\(NSUserName())"])
            let deadline = Date().addingTimeInterval(15)
            while Date() < deadline, let active = try? run("squeue", ["-h", "-t", "PD,R,CG,CF,S", "-o", "%i"]),
                active.status == 0, !active.output.isEmpty
            {
                usleep(200_000)
            }
        }
        for pid in daemons.reversed() {
            kill(pid, SIGKILL)
            let deadline = Date().addingTimeInterval(5)
            while kill(pid, 0) == 0, Date() < deadline { usleep(20_000) }
        }
        daemons = []
        try? FileManager.default.removeItem(at: directory)
    }

    /// Starts a daemon in its own background mode: it forks and leaves, so the
    /// test process has no long-lived child (Foundation then stops reaping
    /// short-lived ones), and the daemon's PID comes from its PID file.
    private func start(_ executable: String, _ arguments: [String], pidFile: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        process.standardInput = FileHandle.nullDevice
        let log = directory.appendingPathComponent("log/\(URL(fileURLWithPath: executable).lastPathComponent).out")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        defer { try? handle.close() }
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        let status = Self.reap(process, timeout: 30)
        guard status == 0 else {
            throw Failure(
                description: "\(executable) exited with status \(status): \((try? String(contentsOf: log, encoding: .utf8)) ?? "")")
        }
        var pid: pid_t?
        try waitFor("\(pidFile)") {
            pid = (try? String(contentsOfFile: pidFile, encoding: .utf8)).flatMap {
                pid_t($0.trimmingCharacters(in: .whitespacesAndNewlines))
            }
            return pid != nil
        }
        daemons.append(pid!)
    }

    private func waitFor(_ what: String, seconds: Double = 20, _ condition: () throws -> Bool) throws {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if try condition() { return }
            if let dead = daemons.first(where: { kill($0, 0) != 0 }) {
                throw Failure(description: "daemon \(dead) exited")
            }
            usleep(100_000)
        }
        throw Failure(description: "no \(what) within \(Int(seconds)) s")
    }

    static func find(_ name: String) -> String? {
        let path = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin") + ":/usr/sbin:/sbin"
        return path.split(separator: ":").map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// `hostname -s`: the node's name, as slurmd expects it.
    static func shortHostName() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        gethostname(&buffer, buffer.count)
        let name = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return String(name.prefix { $0 != "." })
    }
}
