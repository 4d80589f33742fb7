/**
 * npm run notebooks -- [options] [notebooks, directories or globs]
 *
 * Builds each `.ipynb` from its `.ts` source, executes it in a fresh tslab kernel, and stores (--update) or
 * verifies (--check) the outputs. Exit status: 0 all passed, 1 a notebook failed, 2 usage or configuration error.
 */
import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import { parseArgs } from "node:util";
import { dirname, join, relative, resolve } from "node:path";
import { assertWritable, FileWriteError } from "./files";
import { writeFileAtomic } from "./ipynb";
import { runNotebook, type Mode, type NotebookJob, type NotebookResult } from "./execute-notebook";
import { changedNotebookJobs } from "./changed-notebooks";
import { KernelPrestarter } from "./kernel-pool";
import { stopWhenParentGoes } from "./parent-watch";
import { keptMessage, practicePath, updatePracticeCopies } from "./practice";
import { learnerFileError } from "./learner-folders";
import { findNotebookJobs, jobName, UsageError } from "./notebook-jobs";
import { ProgressDisplay } from "./progress-display";
import { formatSeconds, htmlReport, interruptedSummary, junitXml, nextSteps } from "./reports";
import { parseShard, readTimings, selectShard, TIMINGS_FILE, updateTimings, type Shard } from "./shards";
import { TFJS_BACKENDS, type TfjsBackend } from "./backends";
import { projectRoot } from "./project";

const USAGE = `Usage: npm run notebooks -- [options] [notebooks, directories or globs]

Runs every notebook (default: notebooks/) in a fresh tslab kernel. A .ts source is built into the
.ipynb beside it; an .ipynb with no .ts beside it runs as it is.

  --update            execute and store fresh outputs in the .ipynb (the default); also rewrites the
                      practice/ copies of the notebooks/ it ran
  --check             execute and verify, never write: the .ipynb exists and matches its .ts, and the
                      fresh outputs reproduce the stored ones (numbers within tolerance)
  --jobs N            notebooks run in parallel (default: ${availableParallelism()}, the number of cores)
  --prestart N        kernels started ahead for the next notebooks while others run (default: as many
                      as --jobs; 0 starts each kernel only when its notebook begins)
  --timeout SECONDS   per-cell timeout (default 120; notebook or cell metadata may set their own)
  --shard I/N         run only the I-th of N time-balanced slices (1-based), for CI matrices
  --record-timings    with --update, record each notebook's time in notebooks/timings.json (the
                      weights of --shard; npm run timings); without it no run touches that file
  --changed[=REF]     only notebooks whose files changed since REF (default HEAD, plus uncommitted and
                      untracked files), that import a changed lib/ module, or that name a changed
                      data/ file (themselves or in a module they import)
  --backend NAME      with --check: run the kernels on this TensorFlow.js backend (${TFJS_BACKENDS.join(", ")};
                      sets TFJS_BACKEND) and verify that every cell and check passes there; stored outputs,
                      made on the default backend, are not compared
  --junit FILE        write a JUnit XML report
  --report FILE.html  write a readable HTML report
  --list              print the selected notebooks and exit
  -h, --help          show this help

Notebooks can be named by number: 7 is notebooks/07-*.ts. Shortcuts: npm run check (--check), npm run
timings (--update --record-timings). Options go after \`--\`: npm run notebooks -- --jobs 1 07.

Exit status: 0 all passed, 1 a notebook failed (for any reason, a malformed one too) or a file could not
be written, 2 the command line is wrong (unknown option, bad value, no such path, or an output file that
cannot be written: checked before anything runs).`;

const ROOT = projectRoot();
const NOTEBOOKS_DIR = join(ROOT, "notebooks");

interface Options {
  mode: Mode;
  jobs: number;
  /** null: as many as jobs. */
  prestart: number | null;
  timeoutSeconds: number;
  shard: Shard | null;
  recordTimings: boolean;
  changedSince: string | null;
  junit: string | null;
  report: string | null;
  list: boolean;
  /** --backend: the TensorFlow.js backend for the kernels (null: setupTf's choice). */
  backend: TfjsBackend | null;
  paths: string[];
}

/** The command line, in node:util's parseArgs terms (values are checked below, with messages that say what is wrong). */
const OPTION_SPEC = {
  help: { type: "boolean", short: "h" },
  update: { type: "boolean" },
  check: { type: "boolean" },
  jobs: { type: "string" },
  prestart: { type: "string" },
  timeout: { type: "string" },
  shard: { type: "string" },
  "record-timings": { type: "boolean" },
  changed: { type: "string" },
  junit: { type: "string" },
  report: { type: "string" },
  list: { type: "boolean" },
  backend: { type: "string" },
} as const;

export function parseArguments(argv: string[]): Options | "help" {
  const options: Options = { mode: "update", jobs: availableParallelism(), prestart: null, timeoutSeconds: 120, shard: null, recordTimings: false, backend: null, changedSince: null, junit: null, report: null, list: false, paths: [] };
  // `--changed` alone means --changed=HEAD: parseArgs has no optional values. A value option takes the next
  // argument unless that is an option itself, so `--prestart -1` is judged as a value ("-1"), not as an option.
  const args: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const name = arg.startsWith("--") && !arg.includes("=") ? arg.slice(2) : "";
    const next = argv[i + 1];
    if (arg === "--changed") args.push("--changed=HEAD");
    else if (name !== "changed" && OPTION_SPEC[name as keyof typeof OPTION_SPEC]?.type === "string" && next !== undefined && !next.startsWith("--")) args.push(`${arg}=${next}`), i++;
    else args.push(arg);
  }
  let parsed: ReturnType<typeof parseArgs<{ args: string[]; options: typeof OPTION_SPEC; allowPositionals: true; tokens: true }>>;
  try {
    parsed = parseArgs({ args, options: OPTION_SPEC, allowPositionals: true, tokens: true });
  } catch (error) {
    // parseArgs' own wording, brought in line with the runner's other messages.
    const { code, message } = error as { code?: string; message: string };
    const option = /'(-[^' <]+)/.exec(message)?.[1] ?? "";
    if (code === "ERR_PARSE_ARGS_UNKNOWN_OPTION") throw new UsageError(`unknown option ${option}`);
    if (code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE" && /argument missing|ambiguous/.test(message)) throw new UsageError(`${option} needs a value`);
    throw new UsageError(message);
  }
  const { values, positionals, tokens } = parsed;
  if (values.help) return "help";
  const nonEmpty = (flag: string, text: string): string => {
    if (text === "") throw new UsageError(`--${flag} needs a value`);
    return text;
  };
  const wholeNumber = (flag: string, text: string, positive: boolean): number => {
    if (!(positive ? /^[1-9]\d*$/ : /^\d+$/).test(text)) throw new UsageError(`--${flag} needs a ${positive ? "positive " : ""}whole number, got ${JSON.stringify(text)}`);
    return Number(text);
  };
  // --update / --check: the last one given wins.
  for (const token of tokens) if (token.kind === "option" && (token.name === "update" || token.name === "check")) options.mode = token.name;
  if (values.jobs !== undefined) options.jobs = wholeNumber("jobs", values.jobs, true);
  if (values.prestart !== undefined) options.prestart = wholeNumber("prestart", values.prestart, false);
  if (values.timeout !== undefined) {
    options.timeoutSeconds = Number(values.timeout);
    if (!(options.timeoutSeconds > 0)) throw new UsageError(`--timeout needs a positive number of seconds, got ${JSON.stringify(values.timeout)}`);
  }
  if (values.shard !== undefined) options.shard = parseShard(nonEmpty("shard", values.shard));
  options.recordTimings = values["record-timings"] === true;
  if (values.changed !== undefined) options.changedSince = nonEmpty("changed", values.changed);
  if (values.junit !== undefined) options.junit = nonEmpty("junit", values.junit);
  if (values.report !== undefined) options.report = nonEmpty("report", values.report);
  options.list = values.list === true;
  if (values.backend !== undefined) {
    const name = values.backend;
    if (!(TFJS_BACKENDS as readonly string[]).includes(name)) throw new UsageError(`--backend must be one of ${TFJS_BACKENDS.join(", ")}, got ${JSON.stringify(name)}`);
    options.backend = name as TfjsBackend;
  }
  options.paths = positionals;
  if (options.recordTimings && options.mode !== "update") throw new UsageError("--record-timings records the times of an --update run; it does nothing with --check");
  if (options.backend !== null && options.mode !== "check") {
    throw new UsageError("--backend needs --check: stored outputs always come from the default backend");
  }
  return options;
}

function selectJobs(options: Options): NotebookJob[] {
  let jobs = findNotebookJobs(options.paths, NOTEBOOKS_DIR);
  if (options.mode === "update") {
    const refused = jobs.map((job) => learnerFileError(job.notebookPath, "npm run notebooks (an update run stores outputs in the notebook)")).find((message) => message !== null);
    if (refused) throw new UsageError(refused);
  }
  if (options.changedSince !== null) jobs = changedNotebookJobs(jobs, options.changedSince, ROOT);
  if (options.shard !== null) jobs = selectShard(jobs, options.shard, readTimings(NOTEBOOKS_DIR));
  return jobs;
}

async function runAll(jobs: NotebookJob[], options: Options): Promise<NotebookResult[]> {
  const display = new ProgressDisplay(jobs.length, process.stdout);
  const kernels = new KernelPrestarter();
  const ahead = options.prestart ?? options.jobs;
  const results: NotebookResult[] = new Array(jobs.length);
  // Ctrl-C: say what was finished before the run ends (kernel.ts then kills the kernels and re-raises).
  const onInterrupt = (): void => {
    display.close();
    console.log(`\n${interruptedSummary(jobs, results)}`);
    if (process.listenerCount("SIGINT") === 0) process.kill(process.pid, "SIGINT");
  };
  process.once("SIGINT", onInterrupt);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < jobs.length) {
      const index = next++;
      const job = jobs[index] as NotebookJob;
      // While this notebook runs, the kernels of the next ones start (each in its own notebook's folder).
      for (const upcoming of jobs.slice(next, next + ahead)) kernels.prestart(upcoming.notebookPath);
      display.start(job);
      const result = await runNotebook(job, {
        mode: options.mode,
        timeoutSeconds: options.timeoutSeconds,
        startKernel: () => kernels.take(job.notebookPath),
        compareOutputs: options.backend === null,
        onCell: (cellIndex, executedSoFar, toExecute) => display.cell(job, cellIndex, executedSoFar, toExecute),
      });
      kernels.discard(job.notebookPath); // started ahead, but the notebook needed no kernel
      results[index] = result;
      display.finish(result);
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(options.jobs, jobs.length) }, worker));
  } finally {
    process.removeListener("SIGINT", onInterrupt);
    display.close();
    await kernels.close();
  }
  return results;
}

export async function main(argv: string[]): Promise<number> {
  let options: Options | "help";
  let jobs: NotebookJob[];
  try {
    options = parseArguments(argv);
    if (options === "help") {
      console.log(USAGE);
      return 0;
    }
    jobs = selectJobs(options);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`error: ${error.message}\n(\`npm run notebooks -- --help\` lists the options)`);
    return 2;
  }
  if (options.list) {
    for (const job of jobs) console.log(jobName(job));
    return 0;
  }
  if (jobs.length === 0) {
    console.log("notebooks: nothing to run");
    return 0;
  }

  // Output paths are checked before anything runs: a report that cannot be written is found now, not after the suite.
  try {
    for (const file of outputFiles(jobs, options)) assertWritable(file);
  } catch (error) {
    if (!(error instanceof FileWriteError)) throw error;
    console.error(`error: ${error.message}; nothing was run`);
    return 2;
  }
  stopWhenParentGoes();

  // Kernels inherit this process' environment; setupTf() in each notebook reads it.
  if (options.backend !== null) process.env["TFJS_BACKEND"] = options.backend;
  const started = performance.now();
  const results = await runAll(jobs, options);
  const totalMs = performance.now() - started;
  // A write that fails now (a full disk) fails the run, and the other files are still attempted.
  const writeErrors: string[] = [];
  const attempt = (write: () => void): void => {
    try {
      write();
    } catch (error) {
      if (!(error instanceof FileWriteError)) throw error;
      writeErrors.push(error.message);
    }
  };
  if (options.junit !== null) attempt(() => writeFileAtomic(options.junit as string, junitXml(results, totalMs)));
  if (options.report !== null) attempt(() => writeFileAtomic(options.report as string, htmlReport(results, totalMs, options.mode)));
  if (options.recordTimings) attempt(() => updateTimings(NOTEBOOKS_DIR, results));
  if (options.mode === "update") attempt(() => {
    const practice = updatePracticeCopies(jobs, NOTEBOOKS_DIR);
    for (const file of practice.written) console.log(`practice: wrote ${relative(process.cwd(), file)}`);
    for (const { file, reason } of practice.kept) console.warn(keptMessage(file, reason));
  });

  const failed = results.filter((result) => !result.passed);
  console.log(`\n${options.mode === "check" ? "Checked" : "Ran"} ${results.length} notebook${results.length === 1 ? "" : "s"} in ${formatSeconds(totalMs)} with ${Math.min(options.jobs, jobs.length)} job(s).`);
  if (failed.length > 0) console.log(`Failed: ${failed.map((result) => jobName(result.job)).join(", ")}\n${nextSteps(failed, options.mode)}`);
  for (const message of writeErrors) console.log(`Not written: ${message}`);
  console.log(`notebooks: ${results.length - failed.length} passed, ${failed.length} failed${writeErrors.length > 0 ? `, ${writeErrors.length} file(s) not written` : ""}`);
  return failed.length === 0 && writeErrors.length === 0 ? 0 : 1;
}

/** Every file the run may write: the reports, and with --update the notebooks, their timings and practice copies. */
function outputFiles(jobs: NotebookJob[], options: Options): string[] {
  const files = [options.junit, options.report].filter((file): file is string => file !== null);
  if (options.mode === "update") {
    files.push(...jobs.map((job) => job.notebookPath));
    const ours = jobs.filter((job) => resolve(dirname(job.notebookPath)) === resolve(NOTEBOOKS_DIR));
    if (ours.length > 0 && options.recordTimings) files.push(join(NOTEBOOKS_DIR, TIMINGS_FILE));
    files.push(...ours.map((job) => practicePath(job)).filter((file) => existsSync(dirname(file)))); // no practice/: none written
  }
  return files;
}

/** The command-line entry point (`npm run notebooks`, `npx tslab-runner`): sets the exit code. */
export function runCli(argv = process.argv.slice(2)): void {
  main(argv).then(
    (code) => (process.exitCode = code),
    (error: unknown) => {
      console.error("notebook runner: internal error:", error);
      process.exitCode = 2;
    },
  );
}

if (require.main === module) runCli();
