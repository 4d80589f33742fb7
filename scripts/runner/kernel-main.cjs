// The kernel's entry point, for the runner (kernel.ts) and the kernelspec that Jupyter, JupyterLab, VS Code and
// nbconvert start (kernelspec.ts): `node kernel-main.cjs kernel --config-path FILE [--js]` is `tslab kernel` with
// one difference. tslab builds its TypeScript compiler host (parsing and binding lib.es2022 and every @types
// package: ≈ 1.2 s of CPU) before it binds its sockets, so a client waited that long for any answer. Here the
// kernel binds its sockets and answers first, and builds the host BUILD_WHEN_QUIET_MS after its client's last
// request (the client has seen it up), at the latest BUILD_DEADLINE_MS after binding, or at once when a request
// needs it (execute, inspect, complete: the synchronous build tslab's first cell waited for). A learner's Jupyter
// sees the kernel ready about 2 s sooner and the host is built while they read; a client that executes at once (Run All,
// the runner, nbconvert) waits for the build in its first cell instead of before the kernel answered.
// Cells run exactly as under `tslab kernel`: tslab's own converter, executor and Jupyter handler. Anything other
// than `kernel` (`--version`, `install`), and a notebook folder with another tslab installed above it (tslab's
// findLocalStartKernel: that tslab serves the kernel), goes to tslab unchanged.
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const { createRequire } = require("node:module");

const TSLAB_DIST = path.dirname(require.resolve("tslab/dist/main.js"));
/**
 * Quiet time after the last request before the host is built: longer than a client's readiness handshake takes
 * between requests (jupyter_client waits 0.2 s for iopub, then asks again), so that its requests are answered
 * before the build. A client that executes sooner triggers the build itself. The runner, whose kernels always
 * execute and are often started ahead, sets TSLAB_RUNNER_BUILD_WHEN_QUIET_MS shorter (its readiness requests
 * come 10 ms apart), so that the host is built while the kernel would otherwise wait.
 */
const BUILD_WHEN_QUIET_MS = quietMs(process.env.TSLAB_RUNNER_BUILD_WHEN_QUIET_MS, 250);
/** The build starts at the latest this long after the sockets are bound, whatever the client does. */
const BUILD_DEADLINE_MS = 2000;
/** How often the kernel checks that its parent still runs (exitWhenOrphaned). */
const ORPHAN_POLL_MS = 1000;

/** A whole number of milliseconds from the environment, or the default when unset or not one. */
function quietMs(text, fallback) {
  return text !== undefined && /^\d+$/.test(text) ? Number(text) : fallback;
}

/** `kernel --config-path FILE [--js]` (either `--config-path FILE` or `--config-path=FILE`); null for anything else. */
function parseKernelArgs(args) {
  if (args[0] !== "kernel") return null;
  let configPath = null;
  let jsKernel = false;
  for (let i = 1; i < args.length; i++) {
    const arg = args[i];
    if (arg === "--js") jsKernel = true;
    else if (arg === "--config-path" && i + 1 < args.length) configPath = args[++i];
    else if (arg.startsWith("--config-path=")) configPath = arg.slice("--config-path=".length);
    else return null;
  }
  return configPath === null ? null : { configPath, jsKernel };
}

/** tslab's findLocalStartKernel: the main.js of a tslab installed in the kernel's folder or above, if any. */
function localTslabMain(cwd) {
  for (let dir = cwd; ; dir = path.dirname(dir)) {
    if (path.basename(dir) !== "node_modules") {
      const main = path.join(dir, "node_modules", "tslab", "dist", "main.js");
      if (fs.existsSync(main)) return main;
    }
    if (path.dirname(dir) === dir) return null;
  }
}

/** tslab's ConverterSetImpl with the node converter built on first use (or by build()). */
function lazyConverters(createConverter, jsKernel) {
  let node = null;
  let browser = null;
  return {
    get node() {
      if (node === null) node = createConverter({ isJS: jsKernel, isBrowser: false });
      return node;
    },
    get browser() {
      if (browser === null) browser = createConverter({ isJS: jsKernel, isBrowser: true });
      return browser;
    },
    get built() {
      return node !== null;
    },
    close() {
      node?.close();
      browser?.close();
    },
  };
}

/**
 * Builds the node converter once the client has had its answers: BUILD_WHEN_QUIET_MS after its last request
 * (`request()` restarts the wait), or BUILD_DEADLINE_MS after the sockets are bound (`bound()`) for a client that
 * says nothing or never stops asking. Not counted from the binding alone: on a loaded machine the client's first
 * kernel_info can come later than that, and it would then wait for the whole build, as under `tslab kernel`.
 */
function scheduleBuild(converters) {
  let quietTimer;
  let deadlineTimer;
  let cancelled = false;
  const build = () => {
    clearTimeout(quietTimer);
    clearTimeout(deadlineTimer);
    if (cancelled || converters.built) return;
    try {
      void converters.node;
    } catch (error) {
      // Reported again by the first cell, whose getter tries once more (tslab would have died here).
      console.error("tslab could not build its TypeScript compiler host:", error);
    }
  };
  return {
    // Unref'd, and cancelled when the kernel closes: a kernel shut down before its first cell exits at once.
    bound() {
      deadlineTimer = setTimeout(build, BUILD_DEADLINE_MS).unref();
    },
    request() {
      if (cancelled || converters.built) return;
      clearTimeout(quietTimer);
      quietTimer = setTimeout(build, BUILD_WHEN_QUIET_MS).unref();
    },
    cancel() {
      cancelled = true;
      clearTimeout(quietTimer);
      clearTimeout(deadlineTimer);
    },
  };
}

/** tslab's startKernel (dist/main.js), with the compiler host built after the sockets are bound. */
function startKernel({ configPath, jsKernel }) {
  const local = localTslabMain(process.cwd());
  if (local !== null && fs.realpathSync(local) !== fs.realpathSync(path.join(TSLAB_DIST, "main.js"))) {
    const { startKernel: startLocal } = createRequire(process.cwd() + path.sep)(local);
    startLocal({ configPath, enableFindLocal: false, jsKernel, globalVersion: require("tslab/dist/util").getVersion() });
    return;
  }
  const { createConverter } = require("tslab/dist/converter");
  const { createExecutor } = require("tslab/dist/executor");
  const { JupyterHandlerImpl, ZmqServer } = require("tslab/dist/jupyter");
  const converters = lazyConverters(createConverter, jsKernel);
  const executor = createExecutor(process.cwd(), converters, { log: console.log, error: console.error });
  const server = new ZmqServer(new JupyterHandlerImpl(executor, jsKernel), configPath);
  const builder = scheduleBuild(converters);
  const handleShellMessage = server.handleShellMessage;
  server.handleShellMessage = function (...args) {
    builder.request();
    return handleShellMessage.apply(this, args);
  };
  // The prototype's close is looked up at call time: lib/display patches ZmqServer.prototype.close later (from a
  // cell) to close its browser on shutdown, and a close captured here would skip that and keep the kernel alive.
  server.close = function (...args) {
    builder.cancel();
    return Object.getPrototypeOf(this).close.apply(this, args);
  };
  process.on("SIGINT", () => executor.interrupt());
  process.on("uncaughtException", (error) => console.error("UncaughtException:", error));
  process.on("unhandledRejection", (reason) => console.error("UnhandledPromiseRejection:", reason));
  server.init().then(() => builder.bound(), (error) => console.error("UnhandledPromiseRejection:", error));
  exitWhenOrphaned();
}

/**
 * Ends the kernel when its parent (the Jupyter server, nbconvert, the runner) is gone, as ipykernel's parent poller
 * does: a server killed before it could shut its kernels down would otherwise leave this one running for ever,
 * holding the server's stdout and stderr pipes.
 */
function exitWhenOrphaned() {
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) process.exit(0);
  }, ORPHAN_POLL_MS).unref();
}

if (require.main === module) {
  const kernelArgs = parseKernelArgs(process.argv.slice(2));
  if (kernelArgs === null) require("tslab/dist/main.js").main();
  else startKernel(kernelArgs);
}

module.exports = { parseKernelArgs, BUILD_WHEN_QUIET_MS, BUILD_DEADLINE_MS };
