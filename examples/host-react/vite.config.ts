// Run with (from the repository):
//   bash scripts/build-pkg.sh && (cd pkg && npm pack --pack-destination ../examples/host-react/vendor)
//   cd examples/host-react && mv vendor/time-crunch-*.tgz vendor/time-crunch.tgz && npm ci && npm run dev
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

export default defineConfig({
  base: "./",
  plugins: [react()],
  build: { target: "es2022" },
  // wasm-bindgen's loader finds its .wasm with new URL(..., import.meta.url);
  // pre-bundling would move the JS away from the .wasm.
  optimizeDeps: { exclude: ["time-crunch", "time-crunch/modal"] },
});
