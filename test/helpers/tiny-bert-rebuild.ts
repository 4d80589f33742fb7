// Re-runs scripts/data/pretrain-tiny-bert.ts for one artefact into a temporary folder and asserts it writes the
// committed bytes. Measured: 60–110 s per artefact on one wasm thread with other jobs on the 2 cores, and over 240 s
// on a machine loaded to 8 (2026-12-07). The callers' 600 s timeout, which is also `npm run unit`'s per-file limit
// (a file-level limit below a test's own would cut it short), covers a machine 5× slower.
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { dataDir } from "../../lib/data";
import { REPO_ROOT } from "./paths";
import { assertRebuiltArtefact } from "./pretrained";

const run = promisify(execFile);

export async function assertScriptRebuilds(name: string): Promise<void> {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), `${name}-test-`));
  const env = { ...process.env };
  delete env.TFJS_BACKEND;
  delete env.TFJS_WASM_THREADS;
  try {
    await run(process.execPath, ["--import", "tsx", path.join(REPO_ROOT, "scripts", "data", "pretrain-tiny-bert.ts"), "--out", out, "--only", name], { cwd: REPO_ROOT, env });
    assertRebuiltArtefact(name, path.join(out, name), path.join(dataDir(), "pretrained", name), `npx tsx scripts/data/pretrain-tiny-bert.ts --only ${name}`);
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
}
