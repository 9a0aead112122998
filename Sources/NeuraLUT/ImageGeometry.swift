/// Where an input feature lies on an image (`[model] image_width`, `image_channels`): the
/// features are the pixels row by row, and each pixel's `channels` features lie together
/// (interleaved, as an RGB image's colours or a thermometer's levels of one pixel). Patches,
/// the wiring search's windows and image shifts place features by this one rule.
public struct ImageGeometry: Sendable, Equatable {
    /// Pixels per row.
    public let width: Int
    /// Features per pixel.
    public let channels: Int

    /// The channel counts `channels` may take (the project file's range).
    public static let channelRange = 1...4096

    public init(width: Int, channels: Int = 1) {
        precondition(width >= 1 && channels >= 1, "an image needs a positive width and channel count")
        self.width = width
        self.channels = channels
    }

    /// The geometry of images `width` pixels wide (nil: the features are no image) with
    /// `channels` features a pixel (nil: one).
    public init?(width: Int?, channels: Int?) {
        guard let width else { return nil }
        self.init(width: width, channels: channels ?? 1)
    }

    /// What a row is, for messages: "rows of 28 pixels", "rows of 28 pixels of 3 features each".
    public var rowsDescription: String {
        "rows of \(width) pixels" + (channels == 1 ? "" : " of \(channels) features each")
    }

    /// Features in one row of pixels.
    public var rowFeatures: Int { width * channels }
    /// Whether `features` are whole rows of pixels.
    public func fits(features: Int) -> Bool { features % rowFeatures == 0 }
    /// Rows of pixels in `features` features.
    public func height(features: Int) -> Int { features / rowFeatures }
    public func pixel(of feature: Int) -> Int { feature / channels }
    public func row(of feature: Int) -> Int { feature / rowFeatures }
    public func column(of feature: Int) -> Int { pixel(of: feature) % width }
    public func channel(of feature: Int) -> Int { feature % channels }
    public func feature(row: Int, column: Int, channel: Int) -> Int { (row * width + column) * channels + channel }
}
