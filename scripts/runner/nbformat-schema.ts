/**
 * Validation against nbformat's own JSON schemas (vendored in vendor/nbformat with their BSD licence).
 *
 * A small draft-04 validator covering exactly the keywords those schemas use: $ref (local), type, enum, not,
 * oneOf, required, properties, patternProperties, additionalProperties, items, uniqueItems, pattern,
 * minLength, maxLength, minimum, maximum. Problems are reported as "path: message" lines.
 */
import schemaV4_4 from "./vendor/nbformat/nbformat.v4.4.schema.json";
import schemaV4_5 from "./vendor/nbformat/nbformat.v4.5.schema.json";

interface Schema {
  $ref?: string;
  type?: string | string[];
  enum?: unknown[];
  not?: Schema;
  oneOf?: Schema[];
  required?: string[];
  properties?: Record<string, Schema>;
  patternProperties?: Record<string, Schema>;
  additionalProperties?: boolean | Schema;
  items?: Schema;
  uniqueItems?: boolean;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  definitions?: Record<string, unknown>;
}

/**
 * Problems of `notebook` against the nbformat 4.`minor` schema (4.5, or 4.4 for older minors); [] when valid.
 * Notebooks older than 4.4 are checked with the 4.4 schema too: the cell shapes did not change.
 */
export function validateNotebook(notebook: unknown, minor: 4 | 5): string[] {
  const root = (minor === 5 ? schemaV4_5 : schemaV4_4) as Schema;
  const subject = minor === 4 && isObject(notebook) ? { ...notebook, nbformat_minor: Math.max(4, Number(notebook["nbformat_minor"])) } : notebook;
  const problems: string[] = [];
  validate(subject, root, root, "notebook", problems);
  return problems;
}

function validate(value: unknown, schema: Schema, root: Schema, path: string, problems: string[]): void {
  if (schema.$ref !== undefined) {
    validate(value, resolve(schema.$ref, root), root, path, problems);
    return;
  }
  const fail = (message: string): void => void problems.push(`${path}: ${message}`);
  if (schema.type !== undefined) {
    const types = Array.isArray(schema.type) ? schema.type : [schema.type];
    if (!types.some((type) => hasType(value, type))) return fail(`expected ${types.join(" or ")}, got ${describe(value)}`);
  }
  if (schema.enum !== undefined && !schema.enum.some((allowed) => allowed === value)) return fail(`expected one of ${JSON.stringify(schema.enum)}, got ${describe(value)}`);
  if (schema.not !== undefined && validates(value, schema.not, root)) return fail(`must not match ${JSON.stringify(schema.not)}`);
  if (schema.oneOf !== undefined) checkOneOf(value, schema.oneOf, root, path, problems);
  if (typeof value === "string") checkString(value, schema, fail);
  if (typeof value === "number") {
    if (schema.minimum !== undefined && value < schema.minimum) fail(`must be ≥ ${schema.minimum}, got ${value}`);
    if (schema.maximum !== undefined && value > schema.maximum) fail(`must be ≤ ${schema.maximum}, got ${value}`);
  }
  if (Array.isArray(value)) {
    if (schema.items !== undefined) value.forEach((item, i) => validate(item, schema.items as Schema, root, `${path}/${i}`, problems));
    if (schema.uniqueItems && new Set(value.map((item) => JSON.stringify(item))).size !== value.length) fail("items must be unique");
  }
  if (isObject(value)) checkObject(value, schema, root, path, problems);
}

function checkString(value: string, schema: Schema, fail: (message: string) => void): void {
  const length = Array.from(value).length;
  if (schema.minLength !== undefined && length < schema.minLength) fail(`must have at least ${schema.minLength} characters`);
  if (schema.maxLength !== undefined && length > schema.maxLength) fail(`must have at most ${schema.maxLength} characters`);
  if (schema.pattern !== undefined && !new RegExp(schema.pattern).test(value)) fail(`${JSON.stringify(value)} does not match ${schema.pattern}`);
}

function checkObject(value: Record<string, unknown>, schema: Schema, root: Schema, path: string, problems: string[]): void {
  for (const key of schema.required ?? []) if (!(key in value)) problems.push(`${path}: missing required property "${key}"`);
  for (const [key, item] of Object.entries(value)) {
    const here = `${path}/${key}`;
    let matched = false;
    const property = schema.properties?.[key];
    if (property !== undefined) {
      matched = true;
      validate(item, property, root, here, problems);
    }
    for (const [pattern, patternSchema] of Object.entries(schema.patternProperties ?? {})) {
      if (!new RegExp(pattern).test(key)) continue;
      matched = true;
      validate(item, patternSchema, root, here, problems);
    }
    if (matched || schema.additionalProperties === undefined || schema.additionalProperties === true) continue;
    if (schema.additionalProperties === false) problems.push(`${path}: unexpected property "${key}"`);
    else validate(item, schema.additionalProperties, root, here, problems);
  }
}

/** Reports the problems of the closest branch (fewest problems), which names the real mistake. */
function checkOneOf(value: unknown, branches: Schema[], root: Schema, path: string, problems: string[]): void {
  const results = branches.map((branch) => {
    const found: string[] = [];
    validate(value, branch, root, path, found);
    return found;
  });
  const passing = results.filter((found) => found.length === 0).length;
  if (passing === 1) return;
  if (passing > 1) {
    problems.push(`${path}: matches more than one allowed shape`);
    return;
  }
  const closest = results.reduce((best, found) => (found.length < best.length ? found : best));
  problems.push(...closest);
}

function validates(value: unknown, schema: Schema, root: Schema): boolean {
  const found: string[] = [];
  validate(value, schema, root, "", found);
  return found.length === 0;
}

function resolve(ref: string, root: Schema): Schema {
  if (!ref.startsWith("#/")) throw new Error(`unsupported $ref ${ref}`);
  let node: unknown = root;
  for (const part of ref.slice(2).split("/")) node = isObject(node) ? node[part] : undefined;
  if (!isObject(node)) throw new Error(`unresolved $ref ${ref}`);
  return node as Schema;
}

function hasType(value: unknown, type: string): boolean {
  switch (type) {
    case "object":
      return isObject(value);
    case "array":
      return Array.isArray(value);
    case "integer":
      return Number.isInteger(value);
    case "null":
      return value === null;
    default:
      return typeof value === type;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "object") return "an object";
  return `${typeof value} ${JSON.stringify(value)}`;
}
