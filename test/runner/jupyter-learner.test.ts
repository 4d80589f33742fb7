// The learner's path (issue 13.1), as the README tells it: `npm run kernel`, then the classic Jupyter Notebook
// server, a notebook opened in a real browser, Cell → Run All; and `jupyter nbconvert --execute` with the same
// kernel. Everything happens in a temporary folder (its own Jupyter data, config and runtime dirs, a copy of
// the notebook with the `lib` link), so no repository file and no user setting is touched.
// Needs Debian's jupyter-notebook, jupyter-nbconvert and jupyter-client (installed by .ci/run); skipped when
// they are missing, except in CI where their absence fails.
import { after, before, test } from "node:test";
import * as assert from "node:assert/strict";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import type { Browser } from "playwright-core";
import { launchChromium } from "../../lib/display/chromium";
import { KERNEL_NAME } from "../../scripts/runner/kernelspec";
import { makeScratch } from "../helpers/scratch";

const ROOT = join(__dirname, "..", "..");
const NOTEBOOK = "09-naive-bayes.ipynb";
const jupyterHas = (...args: string[]): boolean => spawnSync("jupyter", args, { stdio: "ignore" }).status === 0;
const installed = jupyterHas("notebook", "--version") && jupyterHas("nbconvert", "--version") && jupyterHas("kernelspec", "--version");
const skip = installed ? false : process.env["CI"] === "true" ? false : "needs jupyter-notebook, jupyter-nbconvert and jupyter-client (apt-get install, see .ci/run)";

const work = mkdtempSync(join(tmpdir(), "jupyter-learner-"));
// Inside the repository (git-ignored .cache/), with the `lib` link: tslab resolves packages from the notebook's folder up.
const scratch = makeScratch("jupyter-learner");
const folder = scratch.dir;
const env: NodeJS.ProcessEnv = {
  ...process.env,
  JUPYTER_DATA_DIR: join(work, "data"),
  JUPYTER_CONFIG_DIR: join(work, "config"),
  JUPYTER_RUNTIME_DIR: join(work, "runtime"),
  // Only our data dir: a kernel registered in the user's real one must not make this test pass.
  JUPYTER_PATH: join(work, "data"),
};
const children: ChildProcess[] = [];
let browser: Browser | null = null;

before(() => copyFileSync(join(ROOT, "notebooks", NOTEBOOK), join(folder, NOTEBOOK)));

/** Signals a child's whole process group (the Jupyter server and the kernels it started), ignoring a gone group. */
function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    process.kill(-(child.pid ?? 0), signal);
  } catch {
    // already gone
  }
}

after(async () => {
  await browser?.close();
  // The server shuts its kernels down on SIGTERM; a server killed before it finishes would orphan a kernel that
  // still holds the server's stdout and stderr pipes, and keep this test file alive until its timeout. So: the
  // whole group, a grace period to finish, then SIGKILL for the group, and our ends of the pipes closed.
  for (const child of children) signalGroup(child, "SIGTERM");
  await waitFor(async () => children.every((child) => child.exitCode !== null || child.signalCode !== null), 10_000, () => "").catch(() => undefined);
  for (const child of children) {
    signalGroup(child, "SIGKILL");
    child.stdout?.destroy();
    child.stderr?.destroy();
  }
  rmSync(work, { recursive: true, force: true });
  scratch.remove();
});

interface StoredOutput {
  output_type: string;
  name?: string;
  text?: string | string[];
  data?: Record<string, unknown>;
}

/** The ✓ lines a notebook printed, in order (check() prints one per passed claim). */
function checkLines(outputs: StoredOutput[]): string[] {
  const text = outputs.filter((o) => o.output_type === "stream" && o.name === "stdout").map((o) => [o.text ?? ""].flat().join("")).join("");
  return text.split("\n").filter((line) => line.startsWith("✓ "));
}

function problems(outputs: StoredOutput[]): StoredOutput[] {
  return outputs.filter((o) => o.output_type === "error" || (o.output_type === "stream" && o.name === "stderr"));
}

const storedOutputs = (file: string): StoredOutput[] =>
  (JSON.parse(readFileSync(file, "utf8")) as { cells: Array<{ outputs?: StoredOutput[] }> }).cells.flatMap((cell) => cell.outputs ?? []);

test("npm run kernel registers the project's kernel where Jupyter looks, and checks that it starts", { skip }, () => {
  const result = spawnSync(process.execPath, ["--import", "tsx", join(ROOT, "scripts", "runner", "install-kernel.ts")], { env, encoding: "utf8", cwd: ROOT });
  assert.equal(result.status, 0, result.stdout + result.stderr);
  assert.match(result.stdout, /`jupyter kernelspec list` shows it/);
  assert.match(result.stdout, /checked: the kernel started and ran a cell/);
  const listing = JSON.parse(spawnSync("jupyter", ["kernelspec", "list", "--json"], { env, encoding: "utf8" }).stdout) as { kernelspecs: Record<string, { spec: { argv: string[] } }> };
  const argv = listing.kernelspecs[KERNEL_NAME]?.spec.argv ?? [];
  assert.equal(argv[0], process.execPath, "Node by absolute path, not a bare command Jupyter may not find");

  // Registering again replaces our own kernel.json; one the project did not write is left alone.
  assert.equal(spawnSync(process.execPath, ["--import", "tsx", join(ROOT, "scripts", "runner", "install-kernel.ts"), "--remove"], { env, encoding: "utf8", cwd: ROOT }).status, 0);
  assert.ok(!(KERNEL_NAME in (JSON.parse(spawnSync("jupyter", ["kernelspec", "list", "--json"], { env, encoding: "utf8" }).stdout) as { kernelspecs: object }).kernelspecs));
  const again = spawnSync(process.execPath, ["--import", "tsx", join(ROOT, "scripts", "runner", "install-kernel.ts")], { env, encoding: "utf8", cwd: ROOT });
  assert.equal(again.status, 0, again.stdout + again.stderr);
});

test("Jupyter Notebook in a browser: open a notebook, Cell → Run All, every check passes, no error output", { skip }, async () => {
  const port = await freePort();
  const token = randomUUID();
  const server = spawn("jupyter", ["notebook", "--no-browser", "--allow-root", `--port=${port}`, "--ip=127.0.0.1", `--NotebookApp.token=${token}`, `--notebook-dir=${folder}`], { env, stdio: ["ignore", "pipe", "pipe"], detached: true });
  children.push(server);
  let log = "";
  server.stdout?.on("data", (chunk: Buffer) => void (log += chunk.toString()));
  server.stderr?.on("data", (chunk: Buffer) => void (log += chunk.toString()));
  await waitFor(async () => (await fetch(`http://127.0.0.1:${port}/api/status?token=${token}`).catch(() => null))?.ok === true, 60_000, () => `the Jupyter server did not start:\n${log}`);

  browser = await launchChromium();
  const page = await browser.newPage();
  await page.goto(`http://127.0.0.1:${port}/notebooks/${NOTEBOOK}?token=${token}`);
  // The notebook names the project's kernel, so it starts without a "kernel not found" dialog.
  await page.waitForFunction(() => (globalThis as any).Jupyter?.notebook?.kernel?.is_connected?.() === true, null, { timeout: 120_000 });
  assert.equal(await page.evaluate(() => (globalThis as any).Jupyter.notebook.kernel.name), KERNEL_NAME);
  await page.click('#menus a.dropdown-toggle:text-is("Cell")');
  await page.click("#run_all_cells > a");
  // Done: the kernel is idle and every code cell has an execution count, or an error stopped the run.
  await page.waitForFunction(
    () => {
      const notebook = (globalThis as any).Jupyter.notebook;
      const code = notebook.get_cells().filter((cell: any) => cell.cell_type === "code");
      const failed = code.some((cell: any) => (cell.output_area?.outputs ?? []).some((o: any) => o.output_type === "error" || o.name === "stderr"));
      const finished = code.every((cell: any) => typeof cell.input_prompt_number === "number");
      return (finished || failed) && (globalThis as any).document.querySelector("#kernel_indicator_icon.kernel_idle_icon") !== null;
    },
    null,
    { timeout: 300_000, polling: 500 },
  );
  const fresh = (await page.evaluate(() =>
    (globalThis as any).Jupyter.notebook.get_cells().flatMap((cell: any) => (cell.output_area?.outputs ?? []).map((o: any) => ({ output_type: o.output_type, name: o.name, text: o.text, data: o.data })) ),
  )) as StoredOutput[];
  assert.deepEqual(problems(fresh), [], "no error or stderr output");
  const stored = checkLines(storedOutputs(join(ROOT, "notebooks", NOTEBOOK)));
  assert.ok(stored.length > 0);
  assert.equal(checkLines(fresh).length, stored.length, "every check of the stored run printed its ✓ line in Jupyter too");
  assert.ok(fresh.some((o) => typeof o.data?.["image/png"] === "string"), "figures rendered their PNG inside the kernel");
  await page.close();
});

test("jupyter nbconvert --execute runs a notebook on the registered kernel", { skip }, () => {
  const output = join(work, "nbconvert");
  const result = spawnSync("jupyter", ["nbconvert", "--to", "notebook", "--execute", join(folder, NOTEBOOK), "--output-dir", output, "--ExecutePreprocessor.timeout=300"], { env, encoding: "utf8" });
  assert.equal(result.status, 0, result.stderr);
  const fresh = storedOutputs(join(output, NOTEBOOK));
  assert.deepEqual(problems(fresh), [], "no error or stderr output");
  assert.equal(checkLines(fresh).length, checkLines(storedOutputs(join(ROOT, "notebooks", NOTEBOOK))).length);
});

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

async function waitFor(condition: () => Promise<boolean>, timeoutMs: number, message: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(message());
    await sleep(250);
  }
}
