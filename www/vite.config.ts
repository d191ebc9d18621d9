import { defineConfig } from "vite";

// The page is served from wherever the host app puts it, so every asset URL
// is relative ("./"). The engine package is linked from ../pkg (file:) and
// the sample plans are bundled from ../tests/corpus, so the dev server must be
// allowed to read both.
export default defineConfig({
  base: "./",
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "es2022",
  },
  server: {
    fs: {
      allow: [".", "../pkg", "../tests"],
    },
  },
  // wasm-bindgen's loader finds its .wasm with new URL(..., import.meta.url);
  // pre-bundling would move the JS away from the .wasm, so keep it as is.
  optimizeDeps: {
    exclude: ["time-crunch", "time-crunch/history", "time-crunch/modal"],
  },
});
