// scripts/runner/preflight.cjs, run first by every npm script: a Node outside "engines", dependencies not installed,
// and runner options that npm swallowed (no `--`) each get a message saying what to do, and exit 2.
import { after, test } from "node:test";
import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { ROOT } from "../helpers/scratch";

const preflight = createRequire(__filename)("../../scripts/runner/preflight.cjs") as {
  satisfies: (version: string, range: string) => boolean;
  problems: (context?: { version?: string; env?: NodeJS.ProcessEnv; root?: string }) => string[];
};

const base = join(ROOT, ".cache", "test-runs");
mkdirSync(base, { recursive: true });
const dir = mkdtempSync(join(base, "preflight-"));
after(() => rmSync(dir, { recursive: true, force: true }));

/** A checkout with package.json and scripts/preflight.cjs only; node_modules linked in when asked. */
function checkout(name: string, installed: boolean): string {
  const root = join(dir, name);
  mkdirSync(join(root, "scripts", "runner"), { recursive: true });
  cpSync(join(ROOT, "package.json"), join(root, "package.json"));
  cpSync(join(ROOT, "scripts", "runner", "preflight.cjs"), join(root, "scripts", "runner", "preflight.cjs"));
  if (installed) symlinkSync(join(ROOT, "node_modules"), join(root, "node_modules"));
  return root;
}

function npm(root: string, args: string[]): { status: number | null; output: string } {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^npm_/i.test(name)));
  const result = spawnSync("npm", args, { cwd: root, env, encoding: "utf8", timeout: 120_000 });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

test("engines ranges: Node versions inside and outside >=20.19 <23", () => {
  const range = ">=20.19 <23";
  const verdicts = ["v18.20.4", "20.18.3", "20.19.0", "v20.20.2", "22.12.0", "22.99.99", "23.0.0", "24.1.0"].map((v) => preflight.satisfies(v, range));
  assert.deepEqual(verdicts, [false, false, true, true, true, true, false, false]);
  assert.throws(() => preflight.satisfies("20.0.0", "^20 || ^22"), /cannot read the version range/);
  const [message] = preflight.problems({ version: "v18.20.4", env: {} });
  assert.match(message ?? "", /Node v18\.20\.4 is not supported here: this project needs Node >=20\.19 <23 \(package\.json "engines"\)/);
  assert.deepEqual(preflight.problems({ version: "v22.1.0", env: {} }), []);
});

test("before npm ci: the npm scripts say to run npm ci first, not `tsx: not found`", () => {
  const root = checkout("fresh", false);
  for (const script of [["run", "notebooks"], ["test"], ["run", "check"], ["run", "practice"]]) {
    const { status, output } = npm(root, script);
    assert.equal(status, 2, output);
    assert.match(output, /error: The dependencies are not installed \(tsx, typescript, tslab, zeromq missing from node_modules\/\): run `npm ci` first/);
    assert.doesNotMatch(output, /not found|Error: Cannot find/);
  }
});

test("`npm run notebooks --check` (no `--`) is refused with the command that passes the option on", () => {
  // A checkout without the runner: were the guard to let the command through, it would fail, not run notebooks.
  const root = checkout("installed", true);
  const single = npm(root, ["run", "notebooks", "--check"]);
  assert.equal(single.status, 2, single.output);
  assert.match(single.output, /npm took --check as its own option and did not pass it on: options for the runner go after `--`\. Run `npm run notebooks -- --check` \(or `npm run check`\)/);
  const several = npm(root, ["run", "notebooks", "--jobs=1", "--timeout=300", "--list"]);
  assert.equal(several.status, 2, several.output);
  assert.match(several.output, /Run `npm run notebooks -- --jobs=1 --timeout=300 --list`/);
  assert.deepEqual(preflight.problems({ env: { npm_config_check: "true" } }), [], "only inside an npm script: a variable set by hand is not a swallowed flag");
});
