// Preloaded into every tslab kernel the runner starts (node --require): no file watchers. tslab compiles
// cells with a TypeScript watch program, which watches every file it loaded (the notebook's lib/ modules,
// node_modules/@types, package.json files) and folders of failed module lookups. tslab can keep only one
// rebuild pending and fires it only when it converts a cell, so two change notifications between cells
// (a burst of changes on disk: `npm ci`, `git pull`, an editor saving several files) made the watcher
// throw "Unexpected pending rebuildTimer" from inside an fs callback and the kernel died mid-notebook.
// A runner's kernel lives for one run of one notebook and compiles the files as they are when it imports
// them, so it needs no watcher: ts.sys.watchFile and ts.sys.watchDirectory become no-ops before tslab
// builds its compiler host (tslab's own in-memory cell files do not go through them). What is lost: a
// module edited on disk while a kernel runs is not recompiled by that kernel.
"use strict";
const { isMainThread } = require("node:worker_threads");

if (isMainThread) {
  const Module = require("node:module");
  const load = Module._load;
  const TYPESCRIPT = "@tslab/typescript-for-tslab";
  const noWatcher = () => ({ close() {} });
  let patched = false;

  Module._load = function loadAndUnwatch(request) {
    const exported = load.apply(this, arguments);
    if (!patched && request === TYPESCRIPT && exported && exported.sys) {
      patched = true;
      exported.sys.watchFile = noWatcher;
      exported.sys.watchDirectory = noWatcher;
    }
    return exported;
  };
}
