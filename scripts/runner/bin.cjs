#!/usr/bin/env node
// `npx tslab-runner [options] [notebooks…]`: the runner for any folder of tslab notebooks (the project is the
// nearest folder with a package.json above the working directory; its notebooks/ is the default). The runner
// is TypeScript: tsx, one of its dependencies, compiles it on the fly, resolved from here, not from the caller.
"use strict";
require(require.resolve("tsx/cjs/api", { paths: [__dirname] })).register();
require("./run-notebooks.ts").runCli(process.argv.slice(2));
