/**
 * npm run kernel [-- --force | --remove]
 *
 * Registers this clone's TypeScript kernel for Jupyter (Notebook, JupyterLab, nbconvert) and VS Code, then checks
 * that it starts: Jupyter lists it (when Jupyter is installed), and the kernel, started exactly as its kernel.json
 * says, runs a cell that imports the notebooks' helpers. Exit status: 0 registered and working, 1 the check
 * failed, 2 refused (a kernel of the same name that this project did not write; bad option).
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, realpathSync, rmdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { writeFileAtomic } from "./files";
import { TslabKernel } from "./kernel";
import { jupyterDataDir, kernelDir, KERNEL_DISPLAY_NAME, KERNEL_NAME, projectKernelJson, readRegisteredKernel, type KernelJson } from "./kernelspec";

const USAGE = `Usage: npm run kernel [-- --force | --remove]

Registers the Jupyter kernel "${KERNEL_DISPLAY_NAME}" (name ${KERNEL_NAME}) for this clone, in Jupyter's
per-user data folder (JUPYTER_DATA_DIR, else \`jupyter --data-dir\`, else ~/.local/share/jupyter on Linux,
~/Library/Jupyter on macOS, %APPDATA%\\jupyter on Windows), then checks that it starts and runs a cell.
Jupyter, JupyterLab, nbconvert and VS Code's Jupyter extension all find kernels there.

  --force    replace a kernel of that name that this project did not write
  --remove   unregister it (only if this project wrote it)`;

const ROOT = join(__dirname, "..", "..");
const NOTEBOOKS = join(ROOT, "notebooks");
/** One cell that needs the kernel, the notebooks' `./lib` link and the project's node_modules. */
const PROBE_CELL = `import { check } from "./lib/check";\ncheck("the kernel runs TypeScript", (6 * 7 satisfies number) === 42);`;

async function main(argv: string[]): Promise<number> {
  const flags = new Set(argv);
  for (const flag of flags) {
    if (flag === "-h" || flag === "--help") return console.log(USAGE), 0;
    if (flag !== "--force" && flag !== "--remove") return console.error(`Unknown option ${flag}\n\n${USAGE}`), 2;
  }
  const dataDir = jupyterDataDir();
  const dir = kernelDir(dataDir);
  const existing = readRegisteredKernel(dataDir);
  if (existing !== null && !existing.ours && !flags.has("--force")) {
    console.error(`${join(dir, "kernel.json")} exists and was not written by this project; left as it is.\nRun \`npm run kernel -- --force\` to replace it.`);
    return 2;
  }
  if (flags.has("--remove")) {
    if (existing === null) {
      console.log(`No kernel ${KERNEL_NAME} is registered in ${dataDir}.`);
    } else {
      rmSync(join(dir, "kernel.json"));
      rmdirIfEmpty(dir);
      console.log(`Removed the kernel ${KERNEL_NAME} from ${dir}.`);
    }
    return 0;
  }
  if (!existsSync(join(ROOT, "node_modules", "tslab", "bin", "tslab"))) {
    console.error("node_modules/tslab is missing: run `npm ci` first.");
    return 1;
  }
  const spec = projectKernelJson();
  mkdirSync(dir, { recursive: true });
  writeFileAtomic(join(dir, "kernel.json"), `${JSON.stringify(spec, null, 1)}\n`);
  console.log(`Registered the kernel "${KERNEL_DISPLAY_NAME}" in ${dir}`);
  console.log(`  it runs ${spec.argv[0]} (Node ${process.version}) with this clone's tslab`);

  const listed = jupyterListing(dir);
  console.log(`  ${listed.message}`);
  if (!listed.ok) return 1;
  try {
    const seconds = await startCheck(spec);
    console.log(`  checked: the kernel started and ran a cell in ${seconds.toFixed(1)} s`);
  } catch (error) {
    console.error(`  the kernel did not work: ${(error as Error).message}`);
    return 1;
  }
  console.log(`\nOpen a notebook in notebooks/ with Jupyter or VS Code; it selects "${KERNEL_DISPLAY_NAME}" by itself.`);
  return 0;
}

/** Removes our kernel folder only if nothing else (a logo the user added, say) is in it. */
function rmdirIfEmpty(dir: string): void {
  if (readdirSync(dir).length === 0) rmdirSync(dir);
}

/** Whether Jupyter itself (when installed) lists the kernel from the folder we wrote. */
function jupyterListing(dir: string): { ok: boolean; message: string } {
  const jupyter = (args: string[]) => spawnSync("jupyter", args, { encoding: "utf8", shell: process.platform === "win32" });
  const listing = jupyter(["kernelspec", "list", "--json"]);
  if (listing.status !== 0) {
    return jupyter(["--data-dir"]).status === 0
      ? { ok: true, message: "written to Jupyter's own data folder (`jupyter kernelspec` is not installed to list it)" }
      : { ok: true, message: "Jupyter is not installed (or not on PATH): the kernel is registered for when it is, and for VS Code" };
  }
  const specs = (JSON.parse(listing.stdout) as { kernelspecs: Record<string, { resource_dir: string }> }).kernelspecs;
  const found = specs[KERNEL_NAME]?.resource_dir;
  if (found !== undefined && realpathSync(found) === realpathSync(dir)) return { ok: true, message: "`jupyter kernelspec list` shows it" };
  return { ok: false, message: `\`jupyter kernelspec list\` does not find it in ${dir} (it finds ${found ?? "no kernel of that name"}): is JUPYTER_PATH or JUPYTER_DATA_DIR set differently for Jupyter?` };
}

/** Starts the kernel from its kernel.json argv in notebooks/, runs PROBE_CELL, shuts it down; returns the seconds taken. */
async function startCheck(spec: KernelJson): Promise<number> {
  const started = performance.now();
  const kernel = await TslabKernel.start({ cwd: NOTEBOOKS, kernelspec: { argv: spec.argv, env: spec.env } });
  try {
    const run = await kernel.execute(PROBE_CELL, { timeoutMs: 60_000 });
    const text = run.outputs.map((output) => ("text" in output ? String(output.text) : "")).join("");
    if (run.status !== "ok" || !text.includes("✓")) throw new Error(`a test cell failed (${run.status}): ${run.stderrText || text}`);
  } finally {
    await kernel.shutdown();
  }
  return (performance.now() - started) / 1000;
}

main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (error: Error) => {
    console.error(error.stack ?? error.message);
    process.exitCode = 1;
  },
);
