/**
 * The project's Jupyter kernelspec: the kernel Jupyter, JupyterLab, VS Code and nbconvert start for these
 * notebooks. `tslab install` registers the bare command `tslab`, which exists only in node_modules/.bin, so
 * Jupyter fails with FileNotFoundError; ours names this clone's Node and tslab by absolute path.
 *
 * Its own name (not tslab's "tslab"), so registering it never replaces a tslab kernel the user installed
 * for other work; the built notebooks name it in their metadata, so they open on it without a kernel picker.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, realpathSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { projectRoot } from "./project";

export const KERNEL_NAME = "ml-interview-notebooks";
export const KERNEL_DISPLAY_NAME = "TypeScript (ml-interview-notebooks)";
/** The notebook metadata that selects the kernel (Jupyter and VS Code match `name`). */
export const NOTEBOOK_KERNELSPEC = { display_name: KERNEL_DISPLAY_NAME, language: "typescript", name: KERNEL_NAME };
/** tslab's own kernel (`tslab install`): what notebooks of other projects name. */
export const TSLAB_KERNELSPEC = { display_name: "TypeScript", language: "typescript", name: "tslab" };
/** Names a notebook's kernelspec may have for the runner to run it: ours, and tslab's own from `tslab install`. */
export const TSLAB_KERNEL_NAMES: readonly string[] = [KERNEL_NAME, "tslab"];

const ROOT = join(__dirname, "..", "..");

/** The kernelspec built notebooks name: this collection's own kernel in this clone, tslab's in any other project. */
export function notebookKernelspec(project = projectRoot()): typeof NOTEBOOK_KERNELSPEC {
  return realpathSync(project) === realpathSync(ROOT) ? NOTEBOOK_KERNELSPEC : TSLAB_KERNELSPEC;
}
/** Marks a kernel.json as written by this project (kernelspec `metadata`), so re-registering may replace it. */
const OWNER_KEY = "ml-interview-notebooks";

export interface KernelJson {
  argv: string[];
  display_name: string;
  language: string;
  env?: Record<string, string>;
  interrupt_mode?: "signal" | "message";
  metadata?: Record<string, unknown>;
}

/**
 * The kernel.json for this clone: this Node, tslab from node_modules started through kernel-main.cjs (the kernel
 * answers before it builds its TypeScript compiler host), and the runner's preloads that also help a kernel under
 * Jupyter (no zeromq message lost when tslab sends two at once; V8 code cache for tslab's compiler; no file
 * watchers, whose burst of events during `npm ci` or `git pull` killed a running kernel).
 */
export function projectKernelJson(root = ROOT, node = process.execPath): KernelJson {
  const scripts = join(root, "scripts", "runner");
  return {
    argv: [
      node,
      "--require", join(scripts, "kernel-send-queue.cjs"),
      "--require", join(scripts, "kernel-code-cache.cjs"),
      "--require", join(scripts, "kernel-no-watch.cjs"),
      join(scripts, "kernel-main.cjs"),
      "kernel", "--config-path", "{connection_file}",
    ],
    display_name: KERNEL_DISPLAY_NAME,
    language: "typescript",
    env: { TSLAB_RUNNER_CODE_CACHE: join(root, ".cache", "tslab-code-cache") },
    // tslab has no interrupt_request: Jupyter's Interrupt button must send SIGINT.
    interrupt_mode: "signal",
    metadata: { [OWNER_KEY]: { root } },
  };
}

/** Whether a kernel.json text was written by this project (any clone): only those are replaced without --force. */
export function isProjectKernelJson(text: string): boolean {
  try {
    const json = JSON.parse(text) as { metadata?: Record<string, unknown> };
    return typeof json.metadata === "object" && json.metadata !== null && OWNER_KEY in json.metadata;
  } catch {
    return false;
  }
}

/**
 * Jupyter's per-user data folder, where Jupyter, JupyterLab, Notebook, nbconvert and VS Code's Jupyter extension
 * all look for kernels (`<data dir>/kernels/<name>/kernel.json`). `jupyter --data-dir` is asked when Jupyter is
 * installed (it honours JUPYTER_DATA_DIR and its platform rules); otherwise jupyter_core's defaults.
 */
export function jupyterDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform, home = homedir()): string {
  if (env["JUPYTER_DATA_DIR"]) return env["JUPYTER_DATA_DIR"];
  const asked = spawnSync("jupyter", ["--data-dir"], { encoding: "utf8", env, shell: platform === "win32" });
  if (asked.status === 0 && asked.stdout.trim()) return asked.stdout.trim();
  return defaultJupyterDataDir(env, platform, home);
}

/** jupyter_core's default user data dir (jupyter_core.paths.jupyter_data_dir), for machines without Jupyter yet. */
export function defaultJupyterDataDir(env: NodeJS.ProcessEnv, platform: NodeJS.Platform, home: string): string {
  if (platform === "darwin") return join(home, "Library", "Jupyter");
  if (platform === "win32") return join(env["APPDATA"] ?? join(home, "AppData", "Roaming"), "jupyter");
  return join(env["XDG_DATA_HOME"] || join(home, ".local", "share"), "jupyter");
}

export function kernelDir(dataDir: string): string {
  return join(dataDir, "kernels", KERNEL_NAME);
}

/** What is registered under our name now: null when nothing. */
export function readRegisteredKernel(dataDir: string): { text: string; ours: boolean } | null {
  const file = join(kernelDir(dataDir), "kernel.json");
  if (!existsSync(file)) return null;
  const text = readFileSync(file, "utf8");
  return { text, ours: isProjectKernelJson(text) };
}
