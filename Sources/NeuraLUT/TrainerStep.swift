import CPrefetch
import Foundation

/// One optimisation step: forward in training mode, cross-entropy,
/// backward, AdamW. Parallel over partitions; every sum across partitions
/// or features is taken in index order, so results never depend on threads.
///
/// The work items read only raw pointers and plain values made before the
/// parallel loop (`PartitionSlot`, `ScratchPointers`, `AdamW`): nothing they
/// touch is reference counted, so the workers never write a shared cache line
/// other than their own outputs.
extension Trainer {
    /// Input features per work item of the front end: one feature is too little work to claim alone.
    static let featureChunk = 16

    func trainStep(rows: ArraySlice<Int>) {
        let n = rows.count
        let batch = buffers.batch
        let threads = config.workerThreads
        gatherInputs(rows: rows, threads: threads)
        forwardFrontEnd(count: n, threads: threads)
        for l in spec.layers.indices { forwardLayer(l, count: n, threads: threads) }
        let last = spec.layers.count, k = spec.partitionsPerClass
        let grouped = k > 1
        if grouped {
            GroupSum.forward(
                buffers.values[last].base, logits: buffers.logits.base, classes: spec.classes, partitionsPerClass: k,
                tieBreakers: spec.tieBreakers, batch: batch)
        }
        let (loss, correct) = CrossEntropy.evaluate(
            logits: grouped ? buffers.logits.base : buffers.values[last].base, labels: labelsOfBatch, classes: spec.classes,
            count: n, batch: batch, smoothing: config.labelSmoothing,
            soft: teacherOfBatch.map {
                CrossEntropy.SoftTargets(
                    logits: $0, weight: config.distillation, temperature: TrainingConfig.distillationTemperature)
            },
            gradient: grouped ? buffers.logitGradients.base : buffers.gradients[last].base)
        if grouped {
            GroupSum.backward(
                buffers.logitGradients.base, outputGradients: buffers.gradients[last].base, classes: spec.classes,
                partitionsPerClass: k, tieBreakers: spec.tieBreakers, batch: batch)
        }
        epochLoss += loss
        epochCorrect += correct
        epochSeen += n

        // A partition's parameters are updated in its own backward work item, as soon as its
        // gradients are complete (no later item reads them): a separate pass over all of them
        // cost another loop over memory and another join. The learning rate is the new step's.
        step += 1
        let adam = AdamW(store: store, lr: learningRate, step: step, config: config)
        for l in stride(from: spec.layers.count - 1, through: lowestTrainable, by: -1) {
            let needInput = l > lowestTrainable || (l == 0 && globalTrainable)
            backwardLayer(l, count: n, needInput: needInput, adam: adam, threads: threads)
        }
        if let search = wiringSearch, !search.finished {
            search.accumulate(slots: buffers.slots[0], values: buffers.values[0].base, batch: batch, count: n, threads: threads)
        }
        if globalTrainable {
            backwardFrontEnd(count: n, threads: threads)
            adam.update(start: store.globalOffset, count: store.globalCount)
            for l in spec.layers.indices { store.outputScales[l] = exp(store.values[store.logScaleOffset + l]) }
            store.inputScale = exp(store.values[store.inputLogScaleOffset])
        }
    }

    /// Calls `body(f, worker)` for every input feature, `featureChunk` features per work item,
    /// fewer when that would leave a worker idle (JSC's 16 features made one item).
    private func forEachFeature(threads: Int, _ body: (Int, Int) -> Void) {
        let features = spec.inputFeatures
        let chunk = min(Self.featureChunk, max(1, features / (2 * max(threads, 1))))
        Workers.forEach((features + chunk - 1) / chunk, threads: threads) { c, worker in
            for f in c * chunk..<min(c * chunk + chunk, features) { body(f, worker) }
        }
    }

    /// Raw features of the batch, feature-major, and its labels; images shifted
    /// when the run augments (`ImageShift`). Samples are copied in blocks of
    /// `Kernels.lanes`, so each block owns whole cache lines of every feature row.
    private func gatherInputs(rows: ArraySlice<Int>, threads: Int) {
        let batch = buffers.batch
        let columns = data.columns
        let raw = buffers.raw.base
        let n = rows.count, first = rows.startIndex, lanes = Kernels.lanes
        let imageShift = self.imageShift
        // Drawn in sample order before the parallel copy, so they never depend on threads.
        var random = ImageShift.random(seed: spec.seed, step: step)
        let shifts = imageShift.map { s in (0..<n).map { _ in s.draw(&random) } } ?? []
        data.features.withUnsafeBufferPointer { features in
            let features = features.baseAddress!
            Workers.forEach((n + lanes - 1) / lanes, threads: threads) { block, _ in
                // The rows are random lines of a large table: start all of the block's loads (and
                // the next block's) before copying, instead of waiting for one miss at a time.
                for b in block * lanes..<min(block * lanes + 2 * lanes, n) {
                    lutbuild_prefetch(features + rows[first + b] * columns)
                }
                for b in block * lanes..<min(block * lanes + lanes, n) {
                    let row = features + rows[first + b] * columns
                    if let imageShift {
                        imageShift.copy(row, shift: shifts[b], to: raw + b, stride: batch)
                    } else {
                        for f in 0..<columns { raw[f * batch + b] = row[f] }
                    }
                }
            }
        }
        for (b, r) in rows.enumerated() { labelsOfBatch[b] = data.labels[r] }
        for b in n..<batch { labelsOfBatch[b] = 0 }
        if let teacherOfBatch, let teacherLogits {
            let classes = spec.classes
            for (b, r) in rows.enumerated() {
                for c in 0..<classes { teacherOfBatch[c * batch + b] = teacherLogits[r * classes + c] }
            }
            for c in 0..<classes { for b in n..<batch { teacherOfBatch[c * batch + b] = 0 } }
        }
    }

    /// The input front end, feature by feature (features are independent).
    private func forwardFrontEnd(count n: Int, threads: Int) {
        let batch = buffers.batch
        let range = Quantization.Range(bits: spec.inputBits, signed: true)
        let raw = buffers.raw.base, out = buffers.values[0].base
        let scale = store.inputScale
        if globalTrainable {
            let xhat = buffers.inputXhat.base, yhat = buffers.inputYhat.base
            let variance = buffers.inputBatchVariance.base, running = store.inputRunning
            let gamma = store.values.base + store.inputGammaOffset, beta = store.values.base + store.inputBiasOffset
            let momentum = config.batchNormMomentum
            forEachFeature(threads: threads) { f, _ in
                let row = f * batch
                let stats = BatchNorm.forward(
                    raw + row, xhat: xhat + row, out: yhat + row, count: n, gamma: gamma[f], beta: beta[f])
                variance[f] = stats.variance
                BatchNorm.update(&running[f], with: stats, count: n, momentum: momentum)
                Quantization.forward(yhat + row, out + row, count: n, scale: scale, range: range)
            }
        } else {
            let encoder = frozenEncoder
            forEachFeature(threads: threads) { f, _ in
                let row = f * batch
                for b in 0..<n {
                    out[row + b] = range.value(code: encoder.code(raw[row + b], feature: f), scale: scale)
                }
            }
        }
    }

    private func forwardLayer(_ l: Int, count n: Int, threads: Int) {
        let batch = buffers.batch
        let slots = buffers.slots[l]
        let input = buffers.values[l].base, params = store.values.base
        let scratch = scratchPointers
        let sub = SubNetwork(layout: store.layouts[l], tile: scratch[0].tile, tableInputs: tableInputs(ofLayer: l))
        let fanIn = sub.layout.fanIn, gammaOffset = sub.layout.gammaOffset, betaOffset = sub.layout.betaOffset
        let hiddenCount = sub.hiddenCount
        let range = Quantization.Range(bits: spec.layers[l].outputBits, signed: spec.isSigned(layer: l))
        let scale = store.outputScales[l], momentum = config.batchNormMomentum
        Workers.forEach(slots.count, threads: threads) { p, worker in
            let slot = slots[p], scratch = scratch[worker]
            for i in 0..<fanIn { (slot.x + i * batch).update(from: input + slot.inputs[i] * batch, count: batch) }
            let w = params + slot.offset
            for (t, start) in stride(from: 0, to: batch, by: scratch.tile).enumerated() {
                sub.forward(
                    params: w, x: slot.x + start, xStride: batch, hidden: slot.hidden.map { $0 + t * hiddenCount } ?? scratch.hidden,
                    y: slot.y + start, count: min(scratch.tile, batch - start))
            }
            let gamma = w[gammaOffset], beta = w[betaOffset]
            if slot.trainable {
                let stats = BatchNorm.forward(slot.y, xhat: slot.xhat, out: slot.yhat, count: n, gamma: gamma, beta: beta)
                slot.batchVariance.pointee = stats.variance
                BatchNorm.update(&slot.running.pointee, with: stats, count: n, momentum: momentum)
            } else {
                let (a, c) = BatchNorm.folded(gamma: gamma, beta: beta, running: slot.running.pointee)
                for b in 0..<n { slot.yhat[b] = slot.y[b] * a + c }
            }
            Quantization.forward(slot.yhat, slot.output, count: n, scale: scale, range: range)
        }
    }

    /// Backpropagates layer `l` partition by partition: each item first sums its output's gradient
    /// from the layer above (`ConsumerGradients`), then writes its input gradient when
    /// `needInput`, and ends with the AdamW update of its own parameters.
    private func backwardLayer(_ l: Int, count n: Int, needInput: Bool, adam: AdamW, threads: Int) {
        let batch = buffers.batch
        let slots = buffers.slots[l]
        let above = l + 1 < spec.layers.count ? consumerGradients(layer: l + 1) : nil
        let params = store.values.base, gradients = store.gradients.base
        let scratch = scratchPointers
        let sub = SubNetwork(layout: store.layouts[l], tile: scratch[0].tile, tableInputs: tableInputs(ofLayer: l))
        let gammaOffset = sub.layout.gammaOffset, betaOffset = sub.layout.betaOffset, hiddenCount = sub.hiddenCount
        let range = Quantization.Range(bits: spec.layers[l].outputBits, signed: spec.isSigned(layer: l))
        let scale = store.outputScales[l]
        Workers.forEach(slots.count, threads: threads) { p, worker in
            let slot = slots[p], scratch = scratch[worker]
            guard slot.trainable || needInput else { return }
            above?.sum(unit: p)
            let w = params + slot.offset, grads = gradients + slot.offset
            let dyhat = scratch.dyhat, dy = scratch.dy
            slot.scaleGradient.pointee = Quantization.backward(
                slot.yhat, dout: slot.outputGradient, dx: dyhat, count: n, scale: scale, range: range)
            let gamma = w[gammaOffset]
            if slot.trainable {
                let g = BatchNorm.backward(
                    dout: dyhat, xhat: slot.xhat, dx: dy, count: n, padded: batch, gamma: gamma,
                    variance: slot.batchVariance.pointee)
                grads[gammaOffset] = g.gamma
                grads[betaOffset] = g.beta
            } else {
                let (a, _) = BatchNorm.folded(gamma: gamma, beta: w[betaOffset], running: slot.running.pointee)
                for b in 0..<n { dy[b] = dyhat[b] * a }
                for b in n..<batch { dy[b] = 0 }
            }
            // Tile by tile: the kept hidden activations, or recompute them; then backpropagate.
            sub.transposeWeights(params: w, into: scratch.transposed)
            let lanes = slot.trainable ? scratch.gradientLanes : nil
            for (t, start) in stride(from: 0, to: batch, by: scratch.tile).enumerated() {
                let count = min(scratch.tile, batch - start)
                let hidden: UnsafeMutablePointer<Float>
                if let kept = slot.hidden {
                    hidden = kept + t * hiddenCount
                } else {
                    hidden = scratch.hidden
                    sub.forward(params: w, x: slot.x + start, xStride: batch, hidden: hidden, y: nil, count: count)
                }
                sub.backward(
                    transposed: scratch.transposed, gradientLanes: lanes, x: slot.x + start, xStride: batch,
                    hidden: hidden, dy: dy + start, dx: needInput ? slot.dx + start : nil,
                    dHidden: scratch.dHidden, count: count, firstTile: t == 0)
            }
            if let lanes {
                sub.reduceGradients(lanes: lanes, into: grads)
                adam.update(start: slot.offset, count: sub.layout.parameterCount)
            }
        }
    }

    /// Layer `l`'s input grid when its partitions are learned tables, at the current scales.
    private func tableInputs(ofLayer l: Int) -> TableInputs? {
        TableInputs(layer: l, of: spec, inputScale: l == 0 ? store.inputScale : store.outputScales[l - 1])
    }

    /// Where the gradient of layer `l`'s input values comes from: each unit's consumers.
    private func consumerGradients(layer l: Int) -> ConsumerGradients {
        ConsumerGradients(
            out: buffers.gradients[l].base, batch: buffers.batch, start: buffers.consumerStart[l].baseAddress!,
            rows: buffers.consumerRows[l].baseAddress!)
    }

    /// The input front end's gradients, feature by feature; the input scale's
    /// gradient sums the features' shares in feature order afterwards.
    private func backwardFrontEnd(count n: Int, threads: Int) {
        let batch = buffers.batch
        let range = Quantization.Range(bits: spec.inputBits, signed: true)
        let scale = store.inputScale
        let xhat = buffers.inputXhat.base, yhat = buffers.inputYhat.base, dout = buffers.gradients[0].base
        let variance = buffers.inputBatchVariance.base, shares = buffers.inputScaleGradient.base
        let gamma = store.values.base + store.inputGammaOffset
        let dGamma = store.gradients.base + store.inputGammaOffset, dBias = store.gradients.base + store.inputBiasOffset
        let scratch = scratchPointers
        let consumers = consumerGradients(layer: 0)
        forEachFeature(threads: threads) { f, worker in
            consumers.sum(unit: f)
            let row = f * batch, dyhat = scratch[worker].dyhat
            shares[f] = Quantization.backward(yhat + row, dout: dout + row, dx: dyhat, count: n, scale: scale, range: range)
            let g = BatchNorm.backward(
                dout: dyhat, xhat: xhat + row, dx: scratch[worker].dy, count: n, padded: batch, gamma: gamma[f],
                variance: variance[f])
            dGamma[f] = g.gamma
            dBias[f] = g.beta
        }
        var scaleGradient: Float = 0
        for f in 0..<spec.inputFeatures { scaleGradient += shares[f] }
        // Log-parameterised scale: ∂L/∂log s = s · ∂L/∂s.
        store.gradients[store.inputLogScaleOffset] = scaleGradient * store.inputScale
        for l in spec.layers.indices {
            var sum: Float = 0
            let shares = buffers.scaleGradient[l].base
            for p in 0..<spec.layers[l].partitions { sum += shares[p] }
            store.gradients[store.logScaleOffset + l] = sum * store.outputScales[l]
        }
    }
}

/// The gradient of one layer's input values (the outputs of the layer below, or the input
/// features): unit `u`'s row is the sum of its consumers' input gradients in (partition, slot)
/// order. The backward item of the unit's producer sums it, just before it reads the row,
/// instead of a separate loop over the layer with a join of its own.
struct ConsumerGradients {
    let out: UnsafeMutablePointer<Float>
    let batch: Int
    let start: UnsafePointer<Int>
    let rows: UnsafePointer<UnsafePointer<Float>>

    func sum(unit u: Int) {
        let row = out + u * batch
        row.update(repeating: 0, count: batch)
        for i in start[u]..<start[u + 1] {
            let dx = rows[i]
            var c = 0
            while c < batch {
                Kernels.store(Kernels.load(row + c) + Kernels.load(dx + c), row + c)
                c += Kernels.lanes
            }
        }
    }
}
