/**
 * A headless Chromium for rendering plot images, with nothing to install beyond `npm ci`.
 *
 * `CHROMIUM_PATH` (a system Chrome or Chromium) wins when set. Otherwise, on Linux x64, the brotli-packed
 * Chromium inside `@sparticuz/chromium` is unpacked once into `<project>/.cache/chromium/<package version>/`
 * (never the shared /tmp/chromium, which the package would reuse without checking its version), with a
 * fontconfig file that points at the fonts shipped next to it; without one, all text renders invisible.
 */
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import type { Browser } from "playwright-core";
import { escapeHtml } from "./table";

/** An executable and the environment it needs. */
export interface ChromiumExecutable {
  path: string;
  env: Record<string, string>;
}

/** Where the browser comes from: `CHROMIUM_PATH`, else the bundled one (Linux x64 only). Throws when neither. */
export async function chromiumExecutable(): Promise<ChromiumExecutable> {
  const fromEnv = process.env["CHROMIUM_PATH"];
  if (fromEnv) {
    if (!existsSync(fromEnv)) throw new Error(`CHROMIUM_PATH=${fromEnv} does not exist`);
    return { path: fromEnv, env: {} };
  }
  if (process.platform !== "linux" || process.arch !== "x64") {
    throw new Error(
      `no bundled Chromium for ${process.platform}-${process.arch}; set CHROMIUM_PATH to a Chrome or Chromium executable`,
    );
  }
  const dir = await unpackBundledChromium();
  return { path: join(dir, "chromium"), env: { FONTCONFIG_FILE: join(dir, "fonts.conf") } };
}

/** Launches a headless browser; it ends with our process (playwright kills it on exit; it quits when its pipe closes). */
export async function launchChromium(): Promise<Browser> {
  const executable = await chromiumExecutable();
  // Loaded on first use: requiring playwright-core costs 0.2 s, and many runs never render a PNG.
  const { chromium } = require("playwright-core") as typeof import("playwright-core");
  return chromium.launch({
    executablePath: executable.path,
    env: { ...process.env, ...executable.env },
    // Not @sparticuz/chromium's own `args`: its --single-process breaks a second page and its
    // --headless='shell' fights playwright's headless flag. Playwright's defaults suffice.
    // The kernel owns these signals: playwright's handlers would exit on SIGINT (which interrupts a cell)
    // and swallow SIGTERM. Without them the browser still dies with us, when its pipe closes.
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
  });
}

/**
 * Unpacks the bundled Chromium (≈ 200 MB, ≈ 1 s) unless this package version is already there, and
 * returns its folder. Safe when several processes race: each unpacks into its own staging folder and
 * renames it into place atomically; the loser discards its copy.
 */
export async function unpackBundledChromium(cacheRoot = join(projectRoot(), ".cache", "chromium")): Promise<string> {
  const packageMain = require.resolve("@sparticuz/chromium");
  const version = packageVersion(packageMain);
  const target = join(cacheRoot, version);
  if (existsSync(join(target, "fonts.conf"))) return target;

  mkdirSync(cacheRoot, { recursive: true });
  const staging = mkdtempSync(join(cacheRoot, `${version}.staging-`));
  try {
    // The package unpacks into os.tmpdir(); a child process with TMPDIR set keeps ours unchanged.
    const script = `require(${JSON.stringify(packageMain)}).executablePath().then((p) => process.stdout.write(p))`;
    const { stdout } = await promisify(execFile)(process.execPath, ["-e", script], { env: { ...process.env, TMPDIR: staging } });
    if (stdout !== join(staging, "chromium")) {
      throw new Error(`@sparticuz/chromium unpacked to ${stdout}, expected ${join(staging, "chromium")}`);
    }
    writeFileSync(join(staging, "fonts.conf"), fontConfig(target));
    try {
      renameSync(staging, target);
    } catch (e) {
      if (!existsSync(join(target, "fonts.conf"))) throw e; // another process finished first otherwise
    }
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  return target;
}

/** Fontconfig for the fonts shipped with the package (Open Sans, plotly's first-choice font). */
function fontConfig(dir: string): string {
  return `<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <dir>${escapeHtml(join(dir, "fonts", "fonts"))}</dir>
  <cachedir>${escapeHtml(join(dir, "fonts-cache"))}</cachedir>
</fontconfig>
`;
}

function packageVersion(packageMain: string): string {
  // main is build/cjs/index.cjs; the package's `exports` hides its package.json from require.
  const manifest = join(dirname(packageMain), "..", "..", "package.json");
  const { name, version } = JSON.parse(readFileSync(manifest, "utf8")) as { name?: string; version?: string };
  if (name !== "@sparticuz/chromium" || !version) throw new Error(`unexpected package manifest at ${manifest}`);
  return version;
}

/** The folder with this project's package.json (lib/ is reached through the notebooks/lib symlink in a kernel). */
function projectRoot(): string {
  for (let dir = realpathSync(__dirname); ; dir = dirname(dir)) {
    if (existsSync(join(dir, "package.json"))) return dir;
    if (dirname(dir) === dir) throw new Error(`no package.json above ${__dirname}`);
  }
}
