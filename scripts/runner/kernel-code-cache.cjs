// Preloaded into every tslab kernel the runner starts (node --require): a V8 code cache for the TypeScript
// compiler that tslab loads (8 MB of JavaScript). Compiling it, and the functions tslab then calls while it
// builds its compiler host and converts the first cells, costs every kernel about 0.1 s of CPU; with the
// cache V8 reuses the compiled code. What Node >= 22 does with module.enableCompileCache(), for one file on
// Node 20. The cache lives in TSLAB_RUNNER_CODE_CACHE (a folder; unset or empty: no cache), one file per key.
//
// A cache must never break a kernel start. V8 checks a code cache's header (its version, flags and the source's
// length) but in release builds not its contents: a cache with a flipped byte crashed every kernel with a
// segmentation fault, and since the crash came before the cache was rewritten, for good. So each file carries
// its key and the SHA-256 of its data, checked before V8 sees it; a file that fails the check (corrupt,
// truncated, another key) is ignored and replaced, and so is one V8 rejects. The key names everything the
// compiled code depends on: Node, V8 and TypeScript versions, the architecture, and the file's path, size and
// modification time, so a cache of another version is never even read.
"use strict";
const { createHash } = require("node:crypto");
const fs = require("node:fs");
const path = require("node:path");

const MAGIC = "tslab-runner code cache v1\n";
const CACHED = /[\\/]@tslab[\\/]typescript-for-tslab[\\/]lib[\\/]typescript\.js$/;

/** The cache key of one compiled file: a hash of everything its compiled code depends on. */
function cacheKey({ nodeVersion, v8Version, arch, typescriptVersion, filename, size, mtimeMs }) {
  return createHash("sha256").update(JSON.stringify([nodeVersion, v8Version, arch, typescriptVersion, filename, size, mtimeMs])).digest("hex").slice(0, 32);
}

/** The file's bytes: magic line, a JSON line with the key, the data's length and SHA-256, then the data. */
function encodeCache(key, data) {
  const sha256 = createHash("sha256").update(data).digest("hex");
  return Buffer.concat([Buffer.from(`${MAGIC}${JSON.stringify({ key, length: data.length, sha256 })}\n`), data]);
}

/** The data of a cache file written by encodeCache for this key; null when it is anything else. */
function decodeCache(bytes, key) {
  if (!Buffer.isBuffer(bytes) || bytes.subarray(0, MAGIC.length).toString("latin1") !== MAGIC) return null;
  const end = bytes.indexOf(10, MAGIC.length);
  if (end < 0) return null;
  let header;
  try {
    header = JSON.parse(bytes.subarray(MAGIC.length, end).toString("utf8"));
  } catch {
    return null;
  }
  const data = bytes.subarray(end + 1);
  if (header === null || header.key !== key || header.length !== data.length) return null;
  return createHash("sha256").update(data).digest("hex") === header.sha256 ? data : null;
}

/** The version of the TypeScript package a compiler file belongs to ("" if its package.json cannot be read). */
function typescriptVersionOf(filename) {
  try {
    return String(JSON.parse(fs.readFileSync(path.join(path.dirname(filename), "..", "package.json"), "utf8")).version);
  } catch {
    return "";
  }
}

/** Writes the file through a temporary one and a rename, so no reader ever sees half a cache; errors are ignored. */
function writeCacheFile(file, bytes) {
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(temporary, bytes);
    fs.renameSync(temporary, file);
  } catch {
    // A cache is an optimisation: a read-only or full disk only costs the next kernel its compile time.
    fs.rmSync(temporary, { force: true });
  }
}

/** The key of a compiler file for this process, and the cache file it has in `folder`. */
function cacheFileFor(folder, filename) {
  const { size, mtimeMs } = fs.statSync(filename);
  const key = cacheKey({ nodeVersion: process.version, v8Version: process.versions.v8, arch: process.arch, typescriptVersion: typescriptVersionOf(filename), filename, size, mtimeMs });
  return { key, file: path.join(folder, `${key}.bin`) };
}

function installCodeCache(folder) {
  const Module = require("node:module");
  const vm = require("node:vm");
  const compile = Module.prototype._compile;

  Module.prototype._compile = function (content, filename) {
    if (!CACHED.test(filename)) return compile.call(this, content, filename);
    const { key, file } = cacheFileFor(folder, filename);
    let cachedData;
    try {
      cachedData = decodeCache(fs.readFileSync(file), key) ?? undefined;
    } catch {
      cachedData = undefined;
    }
    const script = new vm.Script(Module.wrap(content), { filename, cachedData });
    if (cachedData === undefined || script.cachedDataRejected) scheduleWrite(script, key, file);
    const wrapper = script.runInThisContext({ displayErrors: true });
    const require = (id) => this.require(id);
    require.resolve = (request, options) => Module._resolveFilename(request, this, false, options);
    require.main = process.mainModule;
    require.cache = Module._cache;
    require.extensions = Module._extensions;
    return wrapper.call(this.exports, this.exports, require, this, filename, path.dirname(filename));
  };

  // Written once the kernel is up (so the cache holds the functions startup compiled lazily too), or when
  // it exits before that; once per key.
  function scheduleWrite(script, key, file) {
    let written = false;
    const write = () => {
      if (written) return;
      written = true;
      writeCacheFile(file, encodeCache(key, script.createCachedData()));
    };
    setTimeout(write, 5000).unref();
    process.once("exit", write);
  }
}

const { isMainThread } = require("node:worker_threads");
const folder = process.env.TSLAB_RUNNER_CODE_CACHE;
if (isMainThread && folder) installCodeCache(folder);

module.exports = { cacheKey, cacheFileFor, encodeCache, decodeCache };
