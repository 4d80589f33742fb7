/**
 * How the gradient reaches each block of a deep conv network at initialisation, plain or residual:
 *
 *   const flow = gradientFlow(images, labels, { residual: true, init: "he", seed: 0 });
 *   flow.norms;   // ‖∂L/∂h_l‖ for l = 0 (the stem's output) … blocks (the last block's output)
 *
 * The network: a 3×3 stem conv (1 → channels), then `blocks` pre-activation blocks
 * F(h) = conv(relu(conv(relu(h)))) (3×3, "same", no biases), h_{l+1} = h_l + F(h_l) (residual) or F(h_l)
 * (plain), then ReLU, global average pooling and a dense layer to the classes; softmax cross-entropy on one
 * batch. Kernels are Glorot uniform (Var = 2/(fan_in + fan_out)), He normal (Var = 2/fan_in), or, for
 * "zero branch", Glorot with every branch's last conv zero (each block is then the identity). Measuring
 * trick: a zero "probe" added to each h_l leaves the network unchanged, and the gradient with respect to the
 * probe is ∂L/∂h_l.
 */
import { tf } from "../tf";
import { Random } from "../random";

export type FlowInit = "glorot" | "he" | "zero branch";

export interface GradientFlowOptions {
  residual: boolean;
  init: FlowInit;
  seed: number;
  /** Default 20. */
  blocks?: number;
  /** Default 8. */
  channels?: number;
  /** Examples drawn (seeded) from `images`; default 64. */
  batchSize?: number;
}

/**
 * images: [n][side·side] single-channel square images; labels: [n] class indices (classes = max label + 1).
 * Returns the gradient norm after every block, and the gradients at the first and last probe.
 */
export function gradientFlow(images: number[][], labels: number[], options: GradientFlowOptions): { norms: number[]; first: number[]; last: number[] } {
  const blocks = options.blocks ?? 20;
  const channels = options.channels ?? 8;
  const batchSize = options.batchSize ?? 64;
  if (images.length !== labels.length) throw new RangeError(`gradientFlow: ${images.length} images but ${labels.length} labels`);
  if (images.length < batchSize) throw new RangeError(`gradientFlow: batchSize ${batchSize} exceeds the ${images.length} images`);
  const side = Math.round(Math.sqrt(images[0]?.length ?? 0));
  if (side < 1 || images.some((im) => im.length !== side * side)) throw new RangeError("gradientFlow: images must be non-empty square images of equal size, flattened");
  if (!["glorot", "he", "zero branch"].includes(options.init)) throw new RangeError(`gradientFlow: init must be "glorot", "he" or "zero branch", got ${String(options.init)}`);
  const classes = Math.max(...labels) + 1;
  const r = new Random(options.seed);
  const batch = r.sampleIndices(images.length, batchSize);
  const kernel = (cIn: number, cOut: number, zero = false) => {
    const fanIn = 9 * cIn;
    const limit = Math.sqrt(6 / (fanIn + 9 * cOut));
    const values = r.array(9 * cIn * cOut, (g) => (zero ? 0 : options.init === "he" ? g.normal(0, Math.sqrt(2 / fanIn)) : g.uniform(-limit, limit)));
    return tf.tensor4d(values, [3, 3, cIn, cOut]);
  };
  return tf.tidy(() => {
    const x = tf.tensor4d(batch.flatMap((i) => images[i]!), [batchSize, side, side, 1]);
    const y = tf.oneHot(tf.tensor1d(batch.map((i) => labels[i]!), "int32"), classes).toFloat();
    const stem = kernel(1, channels);
    const convs = Array.from({ length: blocks }, () => [kernel(channels, channels), kernel(channels, channels, options.init === "zero branch")]);
    const denseLimit = Math.sqrt(6 / (channels + classes));
    const dense = tf.tensor2d(r.array(channels * classes, (g) => g.uniform(-denseLimit, denseLimit)), [channels, classes]);
    const probes = Array.from({ length: blocks + 1 }, () => tf.zeros([batchSize, side, side, channels]));
    const loss = (...z: tf.Tensor[]) => {
      let h = tf.add(tf.conv2d(x, stem, 1, "same"), z[0]!) as tf.Tensor4D;
      for (let b = 0; b < blocks; b++) {
        const branch = tf.conv2d(tf.relu(tf.conv2d(tf.relu(h), convs[b]![0]!, 1, "same")), convs[b]![1]!, 1, "same");
        h = tf.add(options.residual ? tf.add(h, branch) : branch, z[b + 1]!) as tf.Tensor4D;
      }
      return tf.losses.softmaxCrossEntropy(y, tf.matMul(tf.mean(tf.relu(h), [1, 2]), dense)) as tf.Scalar;
    };
    const grads = tf.grads(loss)(probes);
    return { norms: grads.map((g) => tf.norm(g).dataSync()[0]!), first: Array.from(grads[0]!.dataSync()), last: Array.from(grads[blocks]!.dataSync()) };
  });
}
