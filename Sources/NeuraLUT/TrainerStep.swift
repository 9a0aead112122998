import Foundation

/// One optimisation step: forward in training mode, cross-entropy,
/// backward, AdamW. Parallel over partitions; every sum across partitions
/// or features is taken in index order, so results never depend on threads.
extension Trainer {
    func trainStep(rows: ArraySlice<Int>) {
        let n = rows.count
        let batch = buffers.batch
        let threads = config.workerThreads
        gatherInputs(rows: rows)
        forwardFrontEnd(count: n)
        for l in spec.layers.indices {
            Workers.forEach(spec.layers[l].partitions, threads: threads) { p, worker in
                self.forwardPartition(layer: l, index: p, count: n, scratch: self.scratch[worker])
            }
        }
        let last = spec.layers.count
        let (loss, correct) = CrossEntropy.evaluate(
            logits: buffers.values[last].base, labels: labelsOfBatch, classes: spec.classes, count: n, batch: batch,
            smoothing: config.labelSmoothing, gradient: buffers.gradients[last].base)
        epochLoss += loss
        epochCorrect += correct
        epochSeen += n

        for l in stride(from: spec.layers.count - 1, through: lowestTrainable, by: -1) {
            let needInput = l > lowestTrainable || (l == 0 && globalTrainable)
            Workers.forEach(spec.layers[l].partitions, threads: threads) { p, worker in
                self.backwardPartition(layer: l, index: p, count: n, needInput: needInput, scratch: self.scratch[worker])
            }
            if needInput { scatterInputGradients(layer: l, threads: threads) }
        }
        if globalTrainable { backwardFrontEnd(count: n) }
        update(threads: threads)
    }

    /// Raw features of the batch, feature-major, and its labels; images shifted
    /// when the run augments (`ImageShift`).
    private func gatherInputs(rows: ArraySlice<Int>) {
        let batch = buffers.batch
        let columns = data.columns
        let raw = buffers.raw.base
        var shifts = ImageShift.random(seed: spec.seed, step: step)
        data.features.withUnsafeBufferPointer { features in
            for (b, r) in rows.enumerated() {
                let row = features.baseAddress! + r * columns
                if let imageShift {
                    imageShift.copy(row, shift: imageShift.draw(&shifts), to: raw + b, stride: batch)
                } else {
                    for f in 0..<columns { raw[f * batch + b] = row[f] }
                }
                labelsOfBatch[b] = data.labels[r]
            }
        }
        for b in rows.count..<batch { labelsOfBatch[b] = 0 }
    }

    private func forwardFrontEnd(count n: Int) {
        let batch = buffers.batch
        let range = Quantization.Range(bits: spec.inputBits, signed: true)
        let out = buffers.values[0].base
        for f in 0..<spec.inputFeatures {
            let raw = buffers.raw.base + f * batch
            if globalTrainable {
                let stats = BatchNorm.forward(
                    raw, xhat: buffers.inputXhat.base + f * batch, out: buffers.inputYhat.base + f * batch,
                    count: n, gamma: store.values[store.inputGammaOffset + f],
                    beta: store.values[store.inputBiasOffset + f])
                buffers.inputBatchVariance[f] = stats.variance
                BatchNorm.update(&store.inputRunning[f], with: stats, count: n, momentum: config.batchNormMomentum)
                Quantization.forward(buffers.inputYhat.base + f * batch, out + f * batch, count: n, scale: store.inputScale, range: range)
            } else {
                for b in 0..<n {
                    out[f * batch + b] = range.value(code: frozenEncoder.code(raw[b], feature: f), scale: store.inputScale)
                }
            }
        }
    }

    private func forwardPartition(layer l: Int, index p: Int, count n: Int, scratch: WorkerScratch) {
        let batch = buffers.batch
        let layout = store.layouts[l]
        let buf = buffers.partitions[l][p]
        let input = buffers.values[l].base
        for (slot, u) in connectivity.inputs[l][p].enumerated() {
            (buf.x.base + slot * batch).update(from: input + u * batch, count: batch)
        }
        let params = store.values.base + store.partitionOffset[l][p]
        let sub = SubNetwork(layout: layout, tile: scratch.tile)
        for start in stride(from: 0, to: batch, by: scratch.tile) {
            sub.forward(
                params: params, x: buf.x.base + start, xStride: batch, hidden: scratch.hidden.base, y: buf.y.base + start,
                count: min(scratch.tile, batch - start))
        }
        let gamma = params[layout.gammaOffset], beta = params[layout.betaOffset]
        if trainable[l][p] {
            let stats = BatchNorm.forward(buf.y.base, xhat: buf.xhat.base, out: buf.yhat.base, count: n, gamma: gamma, beta: beta)
            buf.batchVariance = stats.variance
            BatchNorm.update(&store.running[l][p], with: stats, count: n, momentum: config.batchNormMomentum)
        } else {
            let (a, c) = BatchNorm.folded(gamma: gamma, beta: beta, running: store.running[l][p])
            for b in 0..<n { buf.yhat.base[b] = buf.y.base[b] * a + c }
        }
        let range = Quantization.Range(bits: spec.layers[l].outputBits, signed: spec.isSigned(layer: l))
        Quantization.forward(buf.yhat.base, buffers.values[l + 1].base + p * batch, count: n, scale: store.outputScales[l], range: range)
    }

    private func backwardPartition(layer l: Int, index p: Int, count n: Int, needInput: Bool, scratch: WorkerScratch) {
        let isTrainable = trainable[l][p]
        guard isTrainable || needInput else { return }
        let batch = buffers.batch
        let layout = store.layouts[l]
        let buf = buffers.partitions[l][p]
        let params = store.values.base + store.partitionOffset[l][p]
        let grads = store.gradients.base + store.partitionOffset[l][p]
        let range = Quantization.Range(bits: spec.layers[l].outputBits, signed: spec.isSigned(layer: l))
        let dyhat = scratch.dyhat.base, dy = scratch.dy.base
        buf.scaleGradient = Quantization.backward(
            buf.yhat.base, dout: buffers.gradients[l + 1].base + p * batch, dx: dyhat,
            count: n, scale: store.outputScales[l], range: range)
        let gamma = params[layout.gammaOffset]
        if isTrainable {
            let g = BatchNorm.backward(
                dout: dyhat, xhat: buf.xhat.base, dx: dy, count: n, padded: batch,
                gamma: gamma, variance: buf.batchVariance)
            grads[layout.gammaOffset] = g.gamma
            grads[layout.betaOffset] = g.beta
        } else {
            let (a, _) = BatchNorm.folded(gamma: gamma, beta: params[layout.betaOffset], running: store.running[l][p])
            for b in 0..<n { dy[b] = dyhat[b] * a }
            for b in n..<batch { dy[b] = 0 }
        }
        // Tile by tile: recompute the hidden activations, then backpropagate.
        let sub = SubNetwork(layout: layout, tile: scratch.tile)
        sub.transposeWeights(params: params, into: scratch.transposed.base)
        let lanes = isTrainable ? scratch.gradientLanes.base : nil
        lanes?.update(repeating: 0, count: sub.gradientLaneCount)
        for start in stride(from: 0, to: batch, by: scratch.tile) {
            let count = min(scratch.tile, batch - start)
            sub.forward(params: params, x: buf.x.base + start, xStride: batch, hidden: scratch.hidden.base, y: nil, count: count)
            sub.backward(
                transposed: scratch.transposed.base, gradientLanes: lanes, x: buf.x.base + start, xStride: batch,
                hidden: scratch.hidden.base, dy: dy + start, dx: needInput ? buf.dx.base + start : nil,
                dHidden: scratch.dHidden.base, count: count)
        }
        if let lanes { sub.reduceGradients(lanes: lanes, into: grads) }
    }

    /// ∂L/∂(layer l's input values): each unit sums its consumers' input gradients in (partition, slot) order.
    private func scatterInputGradients(layer l: Int, threads: Int) {
        let batch = buffers.batch
        let out = buffers.gradients[l].base
        Workers.forEach(spec.inputWidth(ofLayer: l), threads: threads) { u, _ in
            let row = out + u * batch
            row.update(repeating: 0, count: batch)
            for (p, slot) in self.consumers[l][u] {
                let dx = self.buffers.partitions[l][p].dx.base + slot * batch
                var c = 0
                while c < batch {
                    Kernels.store(Kernels.load(row + c) + Kernels.load(dx + c), row + c)
                    c += Kernels.lanes
                }
            }
        }
    }

    private func backwardFrontEnd(count n: Int) {
        let batch = buffers.batch
        let range = Quantization.Range(bits: spec.inputBits, signed: true)
        let scratch = self.scratch[0]
        var scaleGradient: Float = 0
        for f in 0..<spec.inputFeatures {
            scaleGradient += Quantization.backward(
                buffers.inputYhat.base + f * batch, dout: buffers.gradients[0].base + f * batch,
                dx: scratch.dyhat.base, count: n, scale: store.inputScale, range: range)
            let g = BatchNorm.backward(
                dout: scratch.dyhat.base, xhat: buffers.inputXhat.base + f * batch, dx: scratch.dy.base,
                count: n, padded: batch, gamma: store.values[store.inputGammaOffset + f],
                variance: buffers.inputBatchVariance[f])
            store.gradients[store.inputGammaOffset + f] = g.gamma
            store.gradients[store.inputBiasOffset + f] = g.beta
        }
        // Log-parameterised scale: ∂L/∂log s = s · ∂L/∂s.
        store.gradients[store.inputLogScaleOffset] = scaleGradient * store.inputScale
        for l in spec.layers.indices {
            var sum: Float = 0
            for buf in buffers.partitions[l] { sum += buf.scaleGradient }
            store.gradients[store.logScaleOffset + l] = sum * store.outputScales[l]
        }
    }

    private func update(threads: Int) {
        step += 1
        let lr = learningRate
        let partitions = spec.layers.indices.flatMap { l in (0..<spec.layers[l].partitions).map { (l, $0) } }
        Workers.forEach(partitions.count, threads: threads) { i, _ in
            let (l, p) = partitions[i]
            if self.trainable[l][p] {
                self.store.adamW(
                    start: self.store.partitionOffset[l][p], n: self.store.layouts[l].parameterCount,
                    lr: lr, step: self.step, config: self.config)
            }
        }
        if globalTrainable {
            store.adamW(start: store.globalOffset, n: store.globalCount, lr: lr, step: step, config: config)
            for l in spec.layers.indices { store.outputScales[l] = exp(store.values[store.logScaleOffset + l]) }
            store.inputScale = exp(store.values[store.inputLogScaleOffset])
        }
    }
}
