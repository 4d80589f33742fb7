// Preloaded into every tslab kernel the runner starts (node --require): a V8 code cache for the TypeScript
// compiler that tslab loads (8 MB of JavaScript). Compiling it, and the functions tslab then calls while it
// builds its compiler host and converts the first cells, costs every kernel about 0.1 s of CPU; with the
// cache V8 reuses the compiled code. What Node >= 22 does with module.enableCompileCache(), for one file on
// Node 20. V8 checks the cache against the source, its version and flags and ignores a stale one (then this
// kernel writes a fresh one). The cache lives in TSLAB_RUNNER_CODE_CACHE (a folder; unset: no cache).
"use strict";
const { isMainThread } = require("node:worker_threads");

const folder = process.env.TSLAB_RUNNER_CODE_CACHE;
if (isMainThread && folder) {
  const { createHash } = require("node:crypto");
  const fs = require("node:fs");
  const Module = require("node:module");
  const path = require("node:path");
  const vm = require("node:vm");
  const CACHED = /[\\/]@tslab[\\/]typescript-for-tslab[\\/]lib[\\/]typescript\.js$/;
  const compile = Module.prototype._compile;

  Module.prototype._compile = function (content, filename) {
    if (!CACHED.test(filename)) return compile.call(this, content, filename);
    const { size, mtimeMs } = fs.statSync(filename);
    const key = createHash("sha256").update(`${process.version}\0${process.arch}\0${filename}\0${size}\0${mtimeMs}`).digest("hex").slice(0, 32);
    const file = path.join(folder, `${key}.bin`);
    let cachedData;
    try {
      cachedData = fs.readFileSync(file);
    } catch {
      cachedData = undefined;
    }
    const script = new vm.Script(Module.wrap(content), { filename, cachedData });
    if (cachedData === undefined || script.cachedDataRejected) scheduleWrite(script, file);
    const wrapper = script.runInThisContext({ displayErrors: true });
    const require = (id) => this.require(id);
    require.resolve = (request, options) => Module._resolveFilename(request, this, false, options);
    require.main = process.mainModule;
    require.cache = Module._cache;
    require.extensions = Module._extensions;
    return wrapper.call(this.exports, this.exports, require, this, filename, path.dirname(filename));
  };

  // Written once the kernel is up (so the cache holds the functions startup compiled lazily too), or when
  // it exits before that; once per TypeScript version and Node version.
  function scheduleWrite(script, file) {
    let written = false;
    const write = () => {
      if (written) return;
      written = true;
      try {
        fs.mkdirSync(folder, { recursive: true });
        const temporary = `${file}.${process.pid}.tmp`;
        fs.writeFileSync(temporary, script.createCachedData());
        fs.renameSync(temporary, file);
      } catch {
        // A cache is an optimisation: a read-only or full disk only costs the next kernel its compile time.
      }
    };
    setTimeout(write, 5000).unref();
    process.once("exit", write);
  }
}
