// Preloaded into every tslab kernel the runner starts (node --require). tslab 1.0.22 calls zeromq's
// socket.send() without awaiting it, but zeromq 6 allows one send in flight per socket: a send made while an
// earlier one still waits to be written is rejected ("Socket is busy writing", EBUSY) and its message is lost,
// and the waiting send can stall for good. A cell that prints a few thousand lines, or any cell on a heavily
// loaded machine, then loses output or even its "idle" status, and the runner waits for a reply that never
// comes. Here each socket sends one message at a time, in call order: a send starts at once (synchronously)
// when the socket is idle, otherwise when the previous one has settled. Messages still queued when the process
// exits (process.exit() in a cell) are handed to ZeroMQ on the way out, which flushes them as it would have,
// and a socket closes only once its queue is empty.
// The iopub (PUB) socket also gets no high-water mark: beyond it ZeroMQ drops messages silently (the runner's
// SUB socket has none either, kernel.ts). zeromq is patched when tslab first loads it (tslab loads it lazily).
"use strict";
const { isMainThread } = require("node:worker_threads");

if (isMainThread) {
  const Module = require("node:module");
  const load = Module._load;
  let patched = false;

  function patchZeromq(zmq) {
    const send = zmq && zmq.Socket && zmq.Socket.prototype.send;
    const close = zmq && zmq.Socket && zmq.Socket.prototype.close;
    if (typeof send !== "function" || typeof close !== "function") return;
    /** socket → { queue: [{ message, resolve, reject }], busy } */
    const states = new WeakMap();
    /** sockets with queued messages, for the flush at exit */
    const waiting = new Map();

    function pump(socket, state) {
      if (state.busy) return;
      const item = state.queue.shift();
      if (item === undefined) {
        waiting.delete(socket);
        if (state.closeRequested) close.call(socket);
        return;
      }
      state.busy = true;
      const settle = (finish) => (value) => {
        state.busy = false;
        finish(value);
        pump(socket, state);
      };
      let sent;
      try {
        sent = send.call(socket, item.message);
      } catch (error) {
        sent = Promise.reject(error); // e.g. a closed socket: reported through the promise, as before
      }
      sent.then(settle(item.resolve), settle(item.reject));
    }

    const stateOf = (socket) => {
      let state = states.get(socket);
      if (state === undefined) states.set(socket, (state = { queue: [], busy: false, closeRequested: false }));
      return state;
    };

    function queuedSend(message) {
      const state = stateOf(this);
      return new Promise((resolve, reject) => {
        state.queue.push({ message, resolve, reject });
        waiting.set(this, state);
        pump(this, state);
      });
    }

    process.on("exit", () => {
      for (const [socket, state] of waiting) {
        for (const item of state.queue.splice(0)) {
          try {
            send.call(socket, item.message).catch(() => {});
          } catch {
            // the socket is closed: nothing more can be sent
          }
        }
      }
    });

    // tslab sends its shutdown reply and last status, then closes every socket at once: close a socket only
    // when its queue is empty, so those messages still go out (the process exits when all are closed).
    function closeWhenSent() {
      const state = states.get(this);
      if (state !== undefined && (state.busy || state.queue.length > 0)) state.closeRequested = true;
      else close.call(this);
    }
    // The native Socket.prototype.send and close that every socket class inherits are read-only: define the
    // wrappers on each class's own prototype.
    for (const value of Object.values(zmq)) {
      const prototype = typeof value === "function" ? value.prototype : undefined;
      if (prototype instanceof zmq.Socket && prototype.send === send) {
        Object.defineProperty(prototype, "send", { value: queuedSend, writable: true, configurable: true });
        Object.defineProperty(prototype, "close", { value: closeWhenSent, writable: true, configurable: true });
      }
    }
    const Publisher = zmq.Publisher;
    if (typeof Publisher === "function") {
      zmq.Publisher = class UnlimitedPublisher extends Publisher {
        constructor(options) {
          super(Object.assign({ sendHighWaterMark: 0 }, options));
        }
      };
    }
  }

  Module._load = function loadAndPatch(request) {
    const exported = load.apply(this, arguments);
    if (!patched && request === "zeromq") {
      patched = true;
      try {
        patchZeromq(exported);
      } catch (error) {
        // Never stop the kernel from starting: without the patch it works as tslab ships it.
        process.stderr.write(`[notebook runner] kernel-send-queue.cjs could not patch zeromq: ${error && error.message}\n`);
      }
    }
    return exported;
  };
}
