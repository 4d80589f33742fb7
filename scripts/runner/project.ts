/**
 * The project a run works on, so the runner serves any folder of tslab notebooks and not only this collection:
 * the nearest folder at or above the working directory that holds a package.json (where npm and npx run), else
 * the working directory. Its `notebooks/` is the default notebook folder; `practice/` and `work/` beside it are
 * the learner folders when they exist.
 */
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";

export function projectRoot(cwd = process.cwd()): string {
  for (let dir = resolve(cwd); ; dir = dirname(dir)) {
    if (existsSync(join(dir, "package.json"))) return dir;
    if (dirname(dir) === dir) return resolve(cwd);
  }
}
