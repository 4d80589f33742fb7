/**
 * The losses of neural style transfer (Gatys et al. 2016), on feature maps [batch, H, W, C] of a CNN layer:
 *
 *   Gram matrix  G = Fᵀ F / (H · W), F the features reshaped to [H · W, C]: G[i][j] is the mean over positions of
 *                channel i times channel j, i.e. which features occur together, wherever they are;
 *   style loss   mean (G(x) − G(style))², summed over the chosen layers;
 *   content loss mean (F(x) − F(content))², position by position.
 *
 * The Gram matrix sums over positions, so moving feature vectors around (any permutation of positions) leaves it
 * unchanged: it keeps texture and drops layout, which is what "style" means here. The content loss compares
 * position by position, so layout is exactly what it keeps. Style transfer optimises the *pixels* of x against
 * both, with the CNN's weights fixed.
 */
import { tf } from "../tf";

function assertFeatures(features: tf.Tensor, what: string): void {
  if (features.rank !== 4) throw new RangeError(`${what} must be feature maps [batch, H, W, C], got shape [${features.shape.join(", ")}]`);
}

/** G = Fᵀ F / (H · W) per image: [batch, H, W, C] → [batch, C, C]. */
export function gramMatrix(features: tf.Tensor4D): tf.Tensor3D {
  assertFeatures(features, "gramMatrix: features");
  const [batch, height, width, channels] = features.shape;
  return tf.tidy(() => {
    const flat = tf.reshape(features, [batch, height * width, channels]) as tf.Tensor3D;
    return tf.div(tf.matMul(flat, flat, true, false), height * width) as tf.Tensor3D;
  });
}

/** Mean squared difference of the Gram matrices of x's and the style image's features (same layer). */
export function styleLoss(features: tf.Tensor4D, styleFeatures: tf.Tensor4D): tf.Scalar {
  assertFeatures(styleFeatures, "styleLoss: styleFeatures");
  if (features.shape[3] !== styleFeatures.shape[3]) throw new RangeError(`styleLoss: ${features.shape[3]} channels vs ${styleFeatures.shape[3]} in the style features`);
  return tf.tidy(() => tf.mean(tf.squaredDifference(gramMatrix(features), gramMatrix(styleFeatures))) as tf.Scalar);
}

/** Mean squared difference of x's and the content image's features, position by position. */
export function contentLoss(features: tf.Tensor4D, contentFeatures: tf.Tensor4D): tf.Scalar {
  assertFeatures(features, "contentLoss: features");
  if (!features.shape.every((size, axis) => size === contentFeatures.shape[axis])) {
    throw new RangeError(`contentLoss: features [${features.shape.join(", ")}] and contentFeatures [${contentFeatures.shape.join(", ")}] differ in shape`);
  }
  return tf.tidy(() => tf.mean(tf.squaredDifference(features, contentFeatures)) as tf.Scalar);
}
