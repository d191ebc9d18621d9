#!/usr/bin/env node
// Prints the public API of a wasm-bindgen .d.ts: every exported declaration
// with its doc comment and members, sorted by name. The members of
// `InitOutput` (the raw wasm exports) are left out: their names are mangled
// differently by each rustc (h<hash> vs crate-hash paths) and no consumer
// uses them. The output is what tests/reference/<module>.public.d.ts holds
// (time_crunch for the preview module, time_crunch_history for the
// training-log module).
//
//   node scripts/public-api.mjs pkg/time_crunch.d.ts
//   node scripts/public-api.mjs pkg/history/time_crunch_history.d.ts
//   node scripts/public-api.mjs --undocumented pkg/time_crunch.d.ts
//
// --undocumented lists exports and members without a doc comment instead
// and exits 1 if there is one (wasm-bindgen's own loader declarations and
// `free` / `[Symbol.dispose]` are exempt: the package does not write them).
import { readFileSync } from "node:fs";

const args = process.argv.slice(2);
const undocumented = args[0] === "--undocumented";
const file = undocumented ? args[1] : args[0];
if (!file) {
  console.error("usage: node scripts/public-api.mjs [--undocumented] FILE.d.ts");
  process.exit(2);
}

/** Net change of {}/() depth over `line`, outside comments and strings. */
function depthChange(line, state) {
  let delta = 0;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (state.comment) {
      if (c === "*" && line[i + 1] === "/") (state.comment = false), i++;
    } else if (state.quote) {
      if (c === "\\") i++;
      else if (c === state.quote) state.quote = null;
    } else if (c === "/" && line[i + 1] === "*") (state.comment = true), i++;
    else if (c === "/" && line[i + 1] === "/") break;
    else if (c === '"' || c === "'" || c === "`") state.quote = c;
    else if (c === "{" || c === "(") delta++;
    else if (c === "}" || c === ")") delta--;
  }
  return delta;
}

/** Top-level declarations: { name, doc: string[], lines: string[] }. */
function declarations(text) {
  const out = [];
  const state = { comment: false, quote: null };
  let doc = [];
  let current = null;
  let depth = 0;
  let inComment = false;
  for (const raw of text.split("\n")) {
    const line = raw.trimEnd();
    if (current === null) {
      const trimmed = line.trim();
      if (inComment || trimmed.startsWith("/*")) {
        // A top-level comment: a doc comment (/** */) belongs to what follows;
        // others (/* tslint:disable */) are dropped.
        if (!inComment) doc = [];
        doc.push(line);
        inComment = !trimmed.includes("*/");
        if (!inComment && !doc[0].trim().startsWith("/**")) doc = [];
        continue;
      }
      if (trimmed === "") continue;
      const match = /^export\s+(?:default\s+)?(?:declare\s+)?(?:function|class|interface|type|const|let|enum)\s+([\w$]+)/.exec(trimmed);
      if (!match) throw new Error(`${file}: unexpected top-level line: ${line}`);
      current = { name: match[1], doc, lines: [] };
      doc = [];
      depth = 0;
    }
    current.lines.push(line);
    depth += depthChange(line, state);
    if (depth === 0 && !state.comment && /[;}]$/.test(line)) {
      out.push(current);
      current = null;
    }
  }
  if (current) throw new Error(`${file}: unterminated declaration ${current.name}`);
  return out;
}

const decls = declarations(readFileSync(file, "utf8"));
const initOutput = decls.find((d) => d.name === "InitOutput");
if (initOutput) {
  initOutput.lines = [
    initOutput.lines[0],
    "    /* members omitted: the module's raw wasm exports, named differently by each compiler */",
    "}",
  ];
}
decls.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));

if (undocumented) {
  // Declared by wasm-bindgen for its loader, not by this package.
  const loader = new Set(["InitInput", "InitOutput", "SyncInitInput", "initSync", "__wbg_init"]);
  const missing = [];
  for (const d of decls) {
    if (loader.has(d.name)) continue;
    if (d.doc.length === 0) missing.push(d.name);
    // Members of a class or interface body (depth 1), each expected right
    // after its own doc comment.
    const state = { comment: false, quote: null };
    let depth = 0;
    let documented = false;
    for (const line of d.lines) {
      const t = line.trim();
      const before = depth;
      const wasComment = state.comment;
      depth += depthChange(line, state);
      if (before !== 1 || depth === 0 || t === "") continue;
      if (wasComment || t.startsWith("/*")) {
        documented = true;
        continue;
      }
      const member = t.replace(/^readonly\s+/, "").replace(/[(?:;].*$/, "");
      if (!documented && member !== "free" && member !== "[Symbol.dispose]") missing.push(`${d.name}.${member}`);
      documented = false;
    }
  }
  for (const name of missing) console.log(`undocumented: ${name}`);
  process.exit(missing.length ? 1 : 0);
}

const header = [
  `// The public API of ${file.split("/").pop()} as scripts/public-api.mjs prints it:`,
  "// every export with its doc comment, sorted by name; InitOutput's members omitted.",
];
console.log([header.join("\n"), ...decls.map((d) => [...d.doc, ...d.lines].join("\n"))].join("\n\n"));
