// Preloaded into every tslab kernel the runner starts (node --require). Which cell scheduled the timer or
// callback whose error arrives now? tslab reports an uncaught exception or an unhandled rejection as stderr
// text of whichever request it handles at that moment, so an error thrown by a timer of cell 1 while cell 2
// runs looked like cell 2's, or like the next cell's on a slower machine. Here each execute request runs in an
// AsyncLocalStorage context holding the runner's index of that request (`runner_execute_index`, a field the
// runner adds to execute_request; other clients do not send it and nothing changes for them). Node carries
// the context into every timer, immediate, promise and I/O callback created while the cell ran, and still
// holds it when 'uncaughtException' and 'unhandledRejection' are emitted; just before tslab prints the error,
// this writes the line `[tslab-runner:origin=N]` to stderr. The runner (scripts/cell-origin.ts) removes the line
// and blames the cell it names, whatever ran when the error arrived.
"use strict";
const { isMainThread } = require("node:worker_threads");

if (isMainThread) {
  const { AsyncLocalStorage } = require("node:async_hooks");
  const Module = require("node:module");
  const origin = new AsyncLocalStorage();
  const load = Module._load;
  let patched = false;

  // tslab's JupyterHandlerImpl (dist/jupyter.js) runs each request's code in handleExecuteImpl(req, …).
  Module._load = function (request, ...rest) {
    const exports = load.call(this, request, ...rest);
    // Only tslab's own "./jupyter" is looked at: other modules' exports are never touched (lazy getters).
    const handler = !patched && typeof request === "string" && /(^|[\\/])jupyter(\.js)?$/.test(request) && exports && exports.JupyterHandlerImpl;
    if (typeof handler === "function" && typeof handler.prototype.handleExecuteImpl === "function") {
      patched = true;
      const execute = handler.prototype.handleExecuteImpl;
      handler.prototype.handleExecuteImpl = function (req, ...rest) {
        const index = req && req.runner_execute_index;
        return Number.isInteger(index) ? origin.run(index, () => execute.call(this, req, ...rest)) : execute.call(this, req, ...rest);
      };
    }
    return exports;
  };

  const markOrigin = () => {
    const index = origin.getStore();
    // process.stderr.write is tslab's writer to the current request's iopub stream by then.
    if (index !== undefined) process.stderr.write(`[tslab-runner:origin=${index}]\n`);
  };
  // The monitor runs before any 'uncaughtException' listener; this 'unhandledRejection' listener is added before
  // tslab adds its own (tslab loads after the preloads), so the mark always comes first.
  process.on("uncaughtExceptionMonitor", markOrigin);
  process.on("unhandledRejection", markOrigin);
}
