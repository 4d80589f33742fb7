#!/usr/bin/env node
// Runs first in every npm script (plain Node, no dependencies), so that a wrong setup gets a message that says
// what to do instead of `tsx: not found`, a stack trace, or a run that does the wrong thing:
// - a Node version outside package.json's "engines" is refused with the versions that work;
// - dependencies not installed yet: "run npm ci first";
// - a runner option npm swallowed (`npm run notebooks --check` without `--`: npm only warns "Unknown cli config",
//   keeps the flag as npm_config_check in the environment and runs the script without it) is refused with the
//   command that passes it on.
// Exit status 2 (a configuration or command-line error, as the runner's), 0 when all is well.
"use strict";
const { existsSync, readFileSync } = require("node:fs");
const { join } = require("node:path");

const ROOT = join(__dirname, "..", "..");

/** The runner's options (scripts/run-notebooks.ts), as npm names them in npm_config_* variables. */
const RUNNER_OPTIONS = ["check", "update", "jobs", "prestart", "timeout", "shard", "changed", "junit", "report", "list", "record-timings"];
/** Packages every script needs; their absence means `npm ci` has not run (or ran elsewhere). */
const REQUIRED_PACKAGES = ["tsx", "typescript", "tslab", "zeromq"];

/** Whether `version` ("20.20.2" or "v20.20.2") satisfies a range of space-separated comparators (">=20.19 <23"). */
function satisfies(version, range) {
  const parse = (text) => text.replace(/^v/, "").split(".").map((part) => Number.parseInt(part, 10) || 0);
  const compare = (a, b) => {
    for (let i = 0; i < 3; i++) if ((a[i] || 0) !== (b[i] || 0)) return (a[i] || 0) - (b[i] || 0);
    return 0;
  };
  const actual = parse(version);
  return range.trim().split(/\s+/).every((comparator) => {
    const match = /^(>=|<=|>|<|=)?v?(\d+(?:\.\d+){0,2})$/.exec(comparator);
    if (!match) throw new Error(`preflight: cannot read the version range ${JSON.stringify(range)} (comparators like >=20.19 <23 only)`);
    const order = compare(actual, parse(match[2]));
    switch (match[1] || "=") {
      case ">=": return order >= 0;
      case "<=": return order <= 0;
      case ">": return order > 0;
      case "<": return order < 0;
      default: return order === 0;
    }
  });
}

/** Problems with this Node, this checkout and this command line, each a message saying what to do; [] when none. */
function problems({ version = process.version, env = process.env, root = ROOT } = {}) {
  const found = [];
  const range = JSON.parse(readFileSync(join(root, "package.json"), "utf8")).engines?.node;
  if (range && !satisfies(version, range)) {
    found.push(`Node ${version} is not supported here: this project needs Node ${range} (package.json "engines"), i.e. 20.19 or newer and older than 23. Install one of those (for example \`nvm install 22\`), then run \`npm ci\`.`);
  }
  const missing = REQUIRED_PACKAGES.filter((name) => !existsSync(join(root, "node_modules", name, "package.json")));
  if (missing.length > 0) {
    found.push(`The dependencies are not installed (${missing.join(", ")} missing from node_modules/): run \`npm ci\` first, in ${root}.`);
  }
  const swallowed = RUNNER_OPTIONS.filter((name) => env[`npm_config_${name.replace(/-/g, "_")}`] !== undefined);
  if (swallowed.length > 0 && env.npm_lifecycle_event) {
    const flags = swallowed.map((name) => {
      const value = env[`npm_config_${name.replace(/-/g, "_")}`];
      return value === "true" || value === "" ? `--${name}` : `--${name}=${value}`;
    });
    const script = env.npm_lifecycle_event === "test" ? "notebooks" : env.npm_lifecycle_event;
    const shortcut = swallowed.length === 1 && swallowed[0] === "check" ? ` (or \`npm run check\`)` : "";
    found.push(`npm took ${flags.join(" ")} as its own option${flags.length === 1 ? "" : "s"} and did not pass ${flags.length === 1 ? "it" : "them"} on: options for the runner go after \`--\`. Run \`npm run ${script} -- ${flags.join(" ")}\`${shortcut}, adding any notebooks you named.`);
  }
  return found;
}

module.exports = { satisfies, problems, RUNNER_OPTIONS };

if (require.main === module) {
  const found = problems();
  for (const message of found) console.error(`error: ${message}`);
  process.exitCode = found.length === 0 ? 0 : 2;
}
