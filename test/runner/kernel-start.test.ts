// How a kernel starts (issue 18, "Kernel start"): kernel-main.cjs answers before it builds tslab's compiler host,
// and the V8 code cache of kernel-code-cache.cjs is used only whole and for its own versions, so that a corrupt
// or stale cache never fails a kernel start. Real kernels: cells with top-level await and type errors run as
// under `tslab kernel`.
import { test } from "node:test";
import * as assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { TslabKernel } from "../../scripts/runner/kernel";
import { NOTEBOOKS_DIR, REPO_ROOT } from "../helpers/paths";

const { cacheKey, cacheFileFor, decodeCache, encodeCache } = require("../../scripts/runner/kernel-code-cache.cjs") as {
  cacheKey: (fields: Record<string, string | number>) => string;
  cacheFileFor: (folder: string, filename: string) => { key: string; file: string };
  decodeCache: (bytes: Buffer, key: string) => Buffer | null;
  encodeCache: (key: string, data: Buffer) => Buffer;
};
const { parseKernelArgs } = require("../../scripts/runner/kernel-main.cjs") as {
  parseKernelArgs: (args: string[]) => { configPath: string; jsKernel: boolean } | null;
};

/** The compiler file tslab loads, as the kernel resolves it. */
const TYPESCRIPT = require.resolve("@tslab/typescript-for-tslab", { paths: [join(REPO_ROOT, "node_modules", "tslab")] });
/** tslab aborts requests that arrive within 200 ms of an error. */
const afterError = (): Promise<void> => sleep(250);

/** CPU time (user + system, all threads) of a process so far, in ms (Linux). */
function processCpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** A cell with top-level await and a cell with a type error, as every notebook may have them. */
async function runCellsLikeANotebook(kernel: TslabKernel): Promise<void> {
  const awaited = await kernel.execute("const answer = await Promise.resolve(41).then((n) => n + 1);\nanswer");
  assert.equal(awaited.status, "ok", awaited.stderrText);
  assert.deepEqual(awaited.outputs.map((o) => (o.output_type === "stream" ? o.text : o.output_type)), ["42\n"]);
  const mistyped = await kernel.execute('const label: string = answer;');
  assert.equal(mistyped.status, "error");
  assert.match(mistyped.stderrText, /Type 'number' is not assignable to type 'string'/);
  await afterError();
}

const base = { nodeVersion: "v20.20.2", v8Version: "11.3.244.8-node.33", arch: "x64", typescriptVersion: "5.0.4", filename: "/p/typescript.js", size: 8115542, mtimeMs: 1765077420000 };

test("the code cache key changes with Node, V8, TypeScript, the architecture and the compiler file", () => {
  const changed = { nodeVersion: "v20.20.3", v8Version: "11.3.244.9", arch: "arm64", typescriptVersion: "5.0.5", filename: "/q/typescript.js", size: 8115543, mtimeMs: 1765077420001 };
  const keys = new Set([cacheKey(base), ...Object.entries(changed).map(([field, value]) => cacheKey({ ...base, [field]: value }))]);
  assert.equal(keys.size, 1 + Object.keys(changed).length);
  assert.equal(cacheKey({ ...base }), cacheKey(base), "the same versions give the same key");
});

test("a cache file is used only whole, unaltered and for its own key", () => {
  const key = cacheKey(base);
  const data = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256));
  const file = encodeCache(key, data);
  assert.deepEqual(decodeCache(file, key), data);
  const flipped = Buffer.from(file);
  flipped.writeUInt8(flipped.readUInt8(flipped.length - 100) ^ 0x20, flipped.length - 100);
  assert.equal(decodeCache(flipped, key), null, "one flipped bit of the data");
  assert.equal(decodeCache(file.subarray(0, file.length - 1), key), null, "truncated");
  assert.equal(decodeCache(Buffer.concat([file, Buffer.from([0])]), key), null, "a byte too many");
  assert.equal(decodeCache(file, cacheKey({ ...base, typescriptVersion: "5.0.5" })), null, "another key");
  assert.equal(decodeCache(data, key), null, "the previous format (V8's bytes alone)");
  assert.equal(decodeCache(Buffer.alloc(0), key), null, "empty");
  assert.equal(decodeCache(Buffer.from("tslab-runner code cache v1\n{not json\n"), key), null, "a broken header");
});

test("`kernel --config-path FILE [--js]` starts our kernel; anything else goes to tslab's own command line", () => {
  assert.deepEqual(parseKernelArgs(["kernel", "--config-path", "/r/k.json"]), { configPath: "/r/k.json", jsKernel: false });
  assert.deepEqual(parseKernelArgs(["kernel", "--config-path=/r/k.json", "--js"]), { configPath: "/r/k.json", jsKernel: true });
  for (const args of [[], ["--version"], ["install", "--user"], ["kernel"], ["kernel", "--config-path"], ["kernel", "--config-path", "k.json", "--other"]]) {
    assert.equal(parseKernelArgs(args), null, args.join(" "));
  }
});

test("the kernel answers before it builds its compiler host; the first cell waits for the build, then cells run as under tslab", { skip: process.platform !== "linux" && "reads /proc" }, async () => {
  // Jupyter's wait before the build (the runner's own is 30 ms, which a loaded machine can outlast between our
  // reading the CPU time and the kernel's answer).
  const kernel = await TslabKernel.start({ cwd: NOTEBOOKS_DIR, env: { ...process.env, TSLAB_RUNNER_BUILD_WHEN_QUIET_MS: "250" } });
  try {
    const atReady = processCpuMs(kernel.pid);
    await runCellsLikeANotebook(kernel);
    const firstCells = processCpuMs(kernel.pid) - atReady;
    // tslab's own `tslab kernel` spends ≈ 1.2 s of CPU on the host before it answers and ≈ 0.1 s on such cells;
    // here the kernel answers after loading its modules (≈ 0.4 s) and the host is built within the first cell.
    assert.ok(atReady < firstCells, `CPU before the kernel answered ${atReady} ms, in its first cells ${firstCells} ms`);
  } finally {
    await kernel.shutdown();
  }
});

test("a kernel shut down before its first cell exits at once (its host is never built)", async () => {
  const kernel = await TslabKernel.start({ cwd: NOTEBOOKS_DIR });
  const started = performance.now();
  await kernel.shutdown();
  assert.ok(kernel.exitReason !== null);
  assert.ok(performance.now() - started < 2000, `shutdown took ${Math.round(performance.now() - started)} ms`);
});

test("a corrupt code cache never fails a kernel start: the kernel runs its cells and writes a sound cache", async () => {
  const folder = mkdtempSync(join(tmpdir(), "code-cache-"));
  const env = { ...process.env, TSLAB_RUNNER_CODE_CACHE: folder };
  const { key, file } = cacheFileFor(folder, TYPESCRIPT);
  try {
    // No cache yet: the kernel compiles the compiler and writes its cache when it exits.
    let kernel = await TslabKernel.start({ cwd: NOTEBOOKS_DIR, env });
    await runCellsLikeANotebook(kernel);
    await kernel.shutdown();
    assert.ok(existsSync(file), "a cache was written");
    const sound = decodeCache(readFileSync(file), key);
    assert.ok(sound !== null && sound.length > 100_000, "the cache decodes for this Node and TypeScript");

    // Bytes flipped inside V8's data (its header intact): V8 alone would accept it and crash the kernel.
    const corrupt = readFileSync(file);
    for (let i = corrupt.length >> 1; i < corrupt.length; i += 997) corrupt.writeUInt8(corrupt.readUInt8(i) ^ 0x5a, i);
    writeFileSync(file, corrupt);
    kernel = await TslabKernel.start({ cwd: NOTEBOOKS_DIR, env });
    await runCellsLikeANotebook(kernel);
    await kernel.shutdown();
    assert.ok(decodeCache(readFileSync(file), key) !== null, "the corrupt cache was replaced by a sound one");

    // A cache of this key whose data V8 rejects (here: not V8's at all) is compiled around and replaced too.
    writeFileSync(file, encodeCache(key, Buffer.from("not a V8 code cache")));
    kernel = await TslabKernel.start({ cwd: NOTEBOOKS_DIR, env });
    await runCellsLikeANotebook(kernel);
    await kernel.shutdown();
    assert.ok((decodeCache(readFileSync(file), key)?.length ?? 0) > 100_000, "the rejected cache was replaced");
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
});
