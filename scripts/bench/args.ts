/** Command-line options of the benchmark scripts (`--name value`), with errors that name the option. */

export function argValue(name: string, argv: readonly string[] = process.argv): string | undefined {
  const i = argv.indexOf(name);
  if (i < 0) return undefined;
  const value = argv[i + 1];
  if (value === undefined || value.startsWith("--")) throw new Error(`${name} needs a value`);
  return value;
}

export function positiveInteger(name: string, fallback: number, argv: readonly string[] = process.argv): number {
  const text = argValue(name, argv);
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be an integer ≥ 1, got "${text}"`);
  return value;
}
