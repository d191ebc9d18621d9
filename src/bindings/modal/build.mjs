// Builds time-crunch/modal into OUT_DIR (pkg/modal, from scripts/build-pkg.sh):
// tsc type-checks and writes the declarations, esbuild bundles and minifies
// the element with its styles (minified, as text) into one ES module, modal.js.
//
// The engine is imported through the package's entry: "time-crunch" becomes
// "../time_crunch.js", the very file the "." export names, so a host that
// imports "time-crunch" itself and the modal share one module and one
// WebAssembly instance, with a bundler or an import map alike.
//
// Run with: node build.mjs ../../../pkg/modal
import { execFileSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { build, transform } from "esbuild";

const here = fileURLToPath(new URL(".", import.meta.url));
const out = resolve(process.argv[2] ?? join(here, "../../../pkg/modal"));
const ENTRY = "../time_crunch.js";

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
execFileSync(join(here, "node_modules/.bin/tsc"), ["-p", here, "--outDir", out], { stdio: "inherit" });
for (const file of readdirSync(out)) {
  if (!file.endsWith(".d.ts")) continue;
  if (file === "css.d.ts") {
    rmSync(join(out, file));
    continue;
  }
  const path = join(out, file);
  writeFileSync(path, readFileSync(path, "utf8").replaceAll('"time-crunch"', JSON.stringify(ENTRY)));
}

await build({
  entryPoints: [join(here, "modal.ts")],
  outfile: join(out, "modal.js"),
  bundle: true,
  format: "esm",
  target: "es2022",
  minify: true,
  legalComments: "none",
  logLevel: "warning",
  plugins: [
    {
      // The styles as one minified string (the shadow root adopts it).
      name: "css-text",
      setup(b) {
        b.onLoad({ filter: /\.css$/ }, async (args) => {
          const { code } = await transform(readFileSync(args.path, "utf8"), { loader: "css", minify: true });
          return { contents: code, loader: "text" };
        });
      },
    },
    {
      name: "package-entry",
      setup(b) {
        b.onResolve({ filter: /^time-crunch$/ }, () => ({ path: ENTRY, external: true }));
      },
    },
  ],
});
