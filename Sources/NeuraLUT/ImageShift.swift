/// Data augmentation by small translations, for inputs that are the pixels
/// of images (`TrainingConfig.image`, row by row, a pixel's channels together). Each training sample
/// of a step is shifted by its own (dx, dy), drawn from the seed and the
/// step number, so a run resumed from a checkpoint draws what an
/// uninterrupted one draws, and the thread count never matters. Pixels
/// shifted in from outside the image repeat the nearest edge pixel: for
/// images on a constant background (MNIST) that is the background, whatever
/// normalisation the features had.
struct ImageShift {
    let image: ImageGeometry
    let height: Int
    /// Largest shift in each direction (pixels).
    let maximum: Int

    init?(features: Int, image: ImageGeometry?, maximum: Int) {
        guard maximum > 0, let image, image.fits(features: features) else { return nil }
        self.image = image
        height = image.height(features: features)
        self.maximum = maximum
    }

    /// The generator of one step's shifts.
    static func random(seed: UInt64, step: Int) -> SeededRandom {
        SeededRandom(seed: seed, stream: 0x5_41F7, UInt64(step))
    }

    /// The next sample's shift, each component in `-maximum...maximum`.
    func draw(_ random: inout SeededRandom) -> (dx: Int, dy: Int) {
        let span = 2 * maximum + 1
        return (random.nextInt(below: span) - maximum, random.nextInt(below: span) - maximum)
    }

    /// Writes `row` shifted by (dx, dy) to `out[f * stride]` for each feature f:
    /// the output pixel (x, y) is the input pixel (x - dx, y - dy), clamped to the image, each
    /// channel its own.
    func copy(_ row: UnsafePointer<Float>, shift: (dx: Int, dy: Int), to out: UnsafeMutablePointer<Float>, stride: Int) {
        let width = image.width, channels = image.channels
        for y in 0..<height {
            let sourceRow = row + min(max(y - shift.dy, 0), height - 1) * image.rowFeatures
            let target = out + y * image.rowFeatures * stride
            for x in 0..<width {
                let source = sourceRow + min(max(x - shift.dx, 0), width - 1) * channels
                for c in 0..<channels { target[(x * channels + c) * stride] = source[c] }
            }
        }
    }
}
