import Foundation
import NeuraLUT
import Testing

@Suite struct InputThresholdsTests {
    let encoder = InputEncoder(bits: 3, scale: [2.5, -0.75, 0], offset: [0.3, 1.2, -2.6])

    @Test func thresholdsReproduceTheEncoder() {
        let thresholds = InputThresholds(encoder: encoder, featureNames: ["pt", "eta"])
        #expect(thresholds.features.map(\.direction) == ["increasing", "decreasing", "constant"])
        #expect(thresholds.features.map(\.name) == ["pt", "eta", "f2"])
        #expect(thresholds.features[0].thresholds.count == 7)
        #expect(thresholds.features[2].constantCode == 1)
        // Away from the exact boundaries the comparator bank and the affine form agree.
        for f in 0..<3 {
            for step in 0...400 {
                let x = -8 + Double(step) * 0.04 + 0.0013
                #expect(thresholds.code(x, feature: f) == Int(encoder.code(Float(x), feature: f)), "feature \(f), x \(x)")
            }
        }
    }

    @Test func jsonIsDeterministicAndRoundTrips() throws {
        let a = try InputThresholds(encoder: encoder).json()
        let b = try InputThresholds(encoder: encoder).json()
        #expect(a == b)
        #expect(try JSONDecoder().decode(InputThresholds.self, from: a) == InputThresholds(encoder: encoder))
        let csv = InputThresholds(encoder: encoder).csv().split(separator: "\n")
        #expect(csv.count == 4)
        #expect(csv[0] == "index,name,scale,offset,direction,t1,t2,t3,t4,t5,t6,t7")
    }

    /// Feature names come from the user's data: a quote broke the rows, and a
    /// formula stayed live in a spreadsheet. The CSV quotes and neutralises them.
    @Test func csvQuotesAndNeutralisesFeatureNames() {
        let names = ["=HYPERLINK(\"http://evil\",\"x\")", "say \"hi\", twice"]
        let csv = InputThresholds(encoder: encoder, featureNames: names).csv().split(separator: "\n")
        #expect(csv.count == 4)
        #expect(csv[1].hasPrefix("0,\"'=HYPERLINK(\"\"http://evil\"\",\"\"x\"\")\",2.5,"))
        #expect(csv[2].hasPrefix("1,\"say \"\"hi\"\", twice\",-0.75,"))
    }
}
