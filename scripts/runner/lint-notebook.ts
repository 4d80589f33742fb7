/**
 * Catches tslab pitfalls that type-check but fail at run time, in a notebook's percent-format source:
 *
 * - Object shorthand `{ x }` naming a top-level binding from an earlier cell throws
 *   "ReferenceError: x is not defined" in tslab (each cell is compiled separately and earlier bindings are
 *   rewritten to module exports, which shorthand bypasses). Write `{ x: x }`.
 * - Destructuring with renamed fields, `const { a: x } = value`, whose right-hand side names a top-level variable
 *   from an earlier cell fails with "SyntaxError: Identifier 'exports' has already been declared" (anywhere
 *   in the cell, even inside a function). Write `const x = value.a`.
 * - Top-level `for await` is a SyntaxError in tslab; wrap it in an async function.
 *
 * Usage: `tsx scripts/runner/lint-notebook.ts notebooks/01-….ts …` (exit 1 with file:line messages on findings).
 */
import * as fs from "node:fs";
import * as ts from "typescript";

export interface LintFinding {
  file: string;
  line: number;
  message: string;
}

const CELL_MARKER = /^\/\/ %%/;

/** 0-based cell index of each source line: a line belongs to the cell whose marker precedes it. */
function cellOfLine(text: string): number[] {
  let cell = -1;
  return text.split("\n").map((line) => (CELL_MARKER.test(line) ? ++cell : cell));
}

export function lintNotebookSource(file: string, text: string): LintFinding[] {
  const findings: LintFinding[] = [];
  const cells = cellOfLine(text);
  const host = ts.createCompilerHost({ noResolve: true, noLib: true });
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true);
  const originalGetSourceFile = host.getSourceFile;
  host.getSourceFile = (name, ...rest) => (name === file ? source : originalGetSourceFile.call(host, name, ...rest));
  const program = ts.createProgram([file], { noResolve: true, noLib: true, types: [] }, host);
  const checker = program.getTypeChecker();
  const lineOf = (node: ts.Node) => source.getLineAndCharacterOfPosition(node.getStart(source)).line;

  const visit = (node: ts.Node): void => {
    if (ts.isShorthandPropertyAssignment(node)) {
      const symbol = checker.getShorthandAssignmentValueSymbol(node);
      const declaration = symbol?.declarations?.[0];
      if (declaration && isTopLevel(declaration, source) && cells[lineOf(declaration)] !== cells[lineOf(node)]) {
        const name = node.name.text;
        findings.push({
          file,
          line: lineOf(node) + 1,
          message: `object shorthand { ${name} } names a binding from an earlier cell, which throws "ReferenceError: ${name} is not defined" in tslab; write { ${name}: ${name} }`,
        });
      }
    }
    if (ts.isVariableDeclaration(node) && ts.isObjectBindingPattern(node.name) && node.initializer && hasRenamedElement(node.name)) {
      const earlier = earlierCellVariable(node.initializer, cells[lineOf(node)]!);
      if (earlier) {
        findings.push({
          file,
          line: lineOf(node) + 1,
          message: `destructuring with renamed fields from ${earlier}, a variable of an earlier cell, throws "SyntaxError: Identifier 'exports' has already been declared" in tslab; read the fields one by one (const x = ${earlier}.field)`,
        });
      }
    }
    if (ts.isForOfStatement(node) && node.awaitModifier && node.parent.kind === ts.SyntaxKind.SourceFile) {
      findings.push({ file, line: lineOf(node) + 1, message: "top-level `for await` is a SyntaxError in tslab; wrap the loop in an async function" });
    }
    ts.forEachChild(node, visit);
  };
  /** The first identifier in `expression` bound to a top-level variable, function or class of an earlier cell. */
  const earlierCellVariable = (expression: ts.Node, cell: number): string | null => {
    let found: string | null = null;
    const search = (n: ts.Node): void => {
      if (found) return;
      if (ts.isIdentifier(n)) {
        const declaration = checker.getSymbolAtLocation(n)?.declarations?.[0];
        const isImport = declaration !== undefined && (ts.isImportSpecifier(declaration) || ts.isImportClause(declaration) || ts.isNamespaceImport(declaration));
        if (declaration && !isImport && isTopLevel(declaration, source) && cells[lineOf(declaration)]! < cell) found = n.text;
      }
      ts.forEachChild(n, search);
    };
    search(expression);
    return found;
  };

  visit(source);
  return findings;
}

function hasRenamedElement(pattern: ts.ObjectBindingPattern): boolean {
  return pattern.elements.some((element) => element.propertyName !== undefined);
}

/** A declaration at module scope: a top-level variable, function, class, enum or import binding. */
function isTopLevel(declaration: ts.Declaration, source: ts.SourceFile): boolean {
  let node: ts.Node = declaration;
  while (node.parent && !ts.isSourceFile(node.parent)) {
    if (ts.isFunctionLike(node.parent) || ts.isClassLike(node.parent) || ts.isBlock(node.parent)) return false;
    node = node.parent;
  }
  return node.parent === source;
}

if (require.main === module) {
  const files = process.argv.slice(2);
  if (files.length === 0) {
    console.error("usage: tsx scripts/runner/lint-notebook.ts <notebook.ts>…");
    process.exit(2);
  }
  const findings = files.flatMap((f) => lintNotebookSource(f, fs.readFileSync(f, "utf8")));
  for (const f of findings) console.error(`${f.file}:${f.line}: ${f.message}`);
  process.exit(findings.length > 0 ? 1 : 0);
}
