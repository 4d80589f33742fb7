import { test } from "node:test";
import * as assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { chromiumExecutable, unpackBundledChromium } from "../../../lib/display/chromium";
import { withEnv } from "../../helpers/env";
import { REPO_ROOT } from "../../helpers/paths";

const bundled = process.platform === "linux" && process.arch === "x64";

test("CHROMIUM_PATH wins, and a wrong one is reported by name", async () => {
  // Any existing file will do: only the choice is tested here.
  await withEnv({ CHROMIUM_PATH: process.execPath }, async () => {
    assert.deepEqual(await chromiumExecutable(), { path: process.execPath, env: {} });
  });
  await withEnv({ CHROMIUM_PATH: "/nonexistent/chrome" }, async () => {
    await assert.rejects(chromiumExecutable(), /CHROMIUM_PATH=\/nonexistent\/chrome does not exist/);
  });
});

test("two processes unpacking at once end with one complete, versioned copy and no staging left", { skip: !bundled }, async () => {
  const cache = join(REPO_ROOT, ".cache"); // absent in a fresh clone until something unpacks there
  mkdirSync(cache, { recursive: true });
  const root = mkdtempSync(join(cache, "chromium-test-"));
  try {
    const [a, b] = await Promise.all([unpackBundledChromium(root), unpackBundledChromium(root)]);
    assert.equal(a, b);
    const version = (JSON.parse(readFileSync(join(REPO_ROOT, "node_modules", "@sparticuz", "chromium", "package.json"), "utf8")) as { version: string }).version;
    assert.equal(a, join(root, version));
    assert.deepEqual(readdirSync(root), [version]);
    assert.ok(existsSync(join(a, "chromium")));
    assert.match(readFileSync(join(a, "fonts.conf"), "utf8"), new RegExp(`<dir>${join(a, "fonts", "fonts")}</dir>`));
    assert.ok(readdirSync(join(a, "fonts", "fonts", "Open_Sans")).some((f) => f.endsWith(".ttf")));
    assert.equal(await unpackBundledChromium(root), a, "a complete copy is reused");
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
