/**
 * Image augmentation as pure functions on grayscale images, plus a pipeline that is the identity outside
 * training (what Keras' preprocessing layers do, and what evaluation must see).
 *
 *   const img = toImage(digits.data[0].map((v) => v / 16), 8);   // [8][8], values in [0, 1]
 *   shiftImage(img, 1, -1);                                    // content one pixel down and one left, zero-filled
 *   flipHorizontal(img); rotate90(img, 2);
 *   const pipeline = new AugmentationPipeline([randomShift(1)], { seed: 0 });
 *   pipeline.apply(batch, { training: true });                 // random copies; { training: false } returns batch
 *
 * Images are `[height][width]` arrays; `toImage` / `flattenImage` convert from and to the flat row-major rows
 * the datasets use. Every function returns a new image and leaves its input unchanged.
 */
import { Random } from "../random";

/** [height][width] grayscale pixels. */
export type Image = number[][];

/** An augmentation step: a random, label-preserving (for the task at hand) change of one image. */
export type ImageTransform = (image: Image, rng: Random) => Image;

/** A flat row-major pixel row ([height·width]) as an image with `width` columns. */
export function toImage(pixels: readonly number[], width: number): Image {
  if (!Number.isInteger(width) || width < 1 || pixels.length % width !== 0) {
    throw new RangeError(`toImage: width must be a positive integer dividing ${pixels.length} pixels, got ${width}`);
  }
  return Array.from({ length: pixels.length / width }, (_, r) => pixels.slice(r * width, (r + 1) * width));
}

/** The image as one flat row-major row ([height·width]), the layout a dense layer takes. */
export function flattenImage(image: Image): number[] {
  return image.flat();
}

function shapeOf(image: Image, caller: string): [number, number] {
  const height = image.length;
  const width = image[0]?.length ?? 0;
  if (height === 0 || width === 0 || image.some((row) => row.length !== width)) {
    throw new RangeError(`${caller}: image must be a non-empty rectangular [height][width] array`);
  }
  return [height, width];
}

/**
 * Moves the content `dy` pixels down and `dx` pixels right (negative: up / left). Pixels that enter from
 * outside get `fill`; pixels pushed past the edge are lost, so shifting back does not restore the border.
 */
export function shiftImage(image: Image, dy: number, dx: number, fill = 0): Image {
  const [height, width] = shapeOf(image, "shiftImage");
  if (!Number.isInteger(dy) || !Number.isInteger(dx)) throw new RangeError(`shiftImage: dy and dx must be integers, got ${dy}, ${dx}`);
  return Array.from({ length: height }, (_, r) =>
    Array.from({ length: width }, (_, c) => {
      const [sr, sc] = [r - dy, c - dx];
      return sr >= 0 && sr < height && sc >= 0 && sc < width ? image[sr]![sc]! : fill;
    }),
  );
}

/** Mirror left ↔ right. */
export function flipHorizontal(image: Image): Image {
  shapeOf(image, "flipHorizontal");
  return image.map((row) => [...row].reverse());
}

/** Mirror top ↔ bottom. */
export function flipVertical(image: Image): Image {
  shapeOf(image, "flipVertical");
  return [...image].reverse().map((row) => [...row]);
}

/** Rotation by k·90° counter-clockwise (numpy's rot90); a [h][w] image becomes [w][h] for odd k. */
export function rotate90(image: Image, k = 1): Image {
  const [height, width] = shapeOf(image, "rotate90");
  if (!Number.isInteger(k)) throw new RangeError(`rotate90: k must be an integer, got ${k}`);
  const turns = ((k % 4) + 4) % 4;
  let out = image.map((row) => [...row]);
  let [h, w] = [height, width];
  for (let t = 0; t < turns; t++) {
    const src = out;
    // One counter-clockwise turn: out[i][j] = src[j][w − 1 − i].
    out = Array.from({ length: w }, (_, i) => Array.from({ length: h }, (_, j) => src[j]![w - 1 - i]!));
    [h, w] = [w, h];
  }
  return out;
}

/** Adds N(0, std²) noise to every pixel and clips to `range` (default [0, 1]) so the input range is kept. */
export function addGaussianNoise(image: Image, std: number, rng: Random, range: [number, number] = [0, 1]): Image {
  shapeOf(image, "addGaussianNoise");
  if (!(std >= 0)) throw new RangeError(`addGaussianNoise: std must be ≥ 0, got ${std}`);
  const [low, high] = range;
  return image.map((row) => row.map((v) => Math.min(high, Math.max(low, v + rng.normal(0, std)))));
}

/** The integer offsets (dy, dx) with |dy|, |dx| ≤ maxShift, except (0, 0): every draw really moves the image. */
export function shiftOffsets(maxShift: number): [number, number][] {
  if (!Number.isInteger(maxShift) || maxShift < 1) throw new RangeError(`shiftOffsets: maxShift must be an integer ≥ 1, got ${maxShift}`);
  const offsets: [number, number][] = [];
  for (let dy = -maxShift; dy <= maxShift; dy++) {
    for (let dx = -maxShift; dx <= maxShift; dx++) if (dy !== 0 || dx !== 0) offsets.push([dy, dx]);
  }
  return offsets;
}

/** A random shift by one of `shiftOffsets(maxShift)`, uniformly, zero-filled. */
export function randomShift(maxShift: number): ImageTransform {
  const offsets = shiftOffsets(maxShift);
  return (image, rng) => {
    const [dy, dx] = rng.choice(offsets);
    return shiftImage(image, dy, dx);
  };
}

/** A horizontal flip with probability p. */
export function randomFlipHorizontal(p = 0.5): ImageTransform {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`randomFlipHorizontal: p must be in [0, 1], got ${p}`);
  return (image, rng) => (rng.random() < p ? flipHorizontal(image) : image.map((row) => [...row]));
}

/** Gaussian pixel noise with the given std, clipped to [0, 1]. */
export function randomNoise(std: number): ImageTransform {
  return (image, rng) => addGaussianNoise(image, std, rng);
}

/** Applies the transforms in order: compose(a, b)(x) = b(a(x)). */
export function compose(...transforms: ImageTransform[]): ImageTransform {
  return (image, rng) => transforms.reduce((img, t) => t(img, rng), image);
}

export interface PipelineOptions {
  /** Seed of the pipeline's own random stream (it never draws in evaluation mode). */
  seed: number;
}

/**
 * Random augmentation that exists only in training: `apply(images, { training: true })` transforms each image
 * with a fresh draw; `{ training: false }` returns the very same array, untouched and without drawing, so
 * validation and test inputs are exactly the data.
 */
export class AugmentationPipeline {
  private readonly rng: Random;
  private readonly transform: ImageTransform;

  constructor(readonly transforms: readonly ImageTransform[], options: PipelineOptions) {
    this.rng = new Random(options.seed);
    this.transform = compose(...transforms);
  }

  apply(images: Image[], mode: { training: boolean }): Image[] {
    if (!mode.training) return images;
    return images.map((image) => this.transform(image, this.rng));
  }

  /** The originals followed by `copies` augmented versions of each (an offline, enlarged training set). */
  expand<L>(images: Image[], labels: readonly L[], copies: number): { images: Image[]; labels: L[] } {
    if (labels.length !== images.length) throw new RangeError(`expand: ${labels.length} labels for ${images.length} images`);
    if (!Number.isInteger(copies) || copies < 0) throw new RangeError(`expand: copies must be an integer ≥ 0, got ${copies}`);
    const out = { images: [...images], labels: [...labels] };
    for (let c = 0; c < copies; c++) {
      out.images.push(...this.apply(images, { training: true }));
      out.labels.push(...labels);
    }
    return out;
  }
}
