// Starts the server twin for the Node tests (tests/consumer, tests/e2e
// import this by relative path; node built-ins only).
//
// The twin listens on port 0 and writes the addresses it got to a ready file
// (`--ready-file`, written with a rename, so it is whole once it exists).
// Reading that file is how these tests learn a port: picking a "free" port
// beforehand and handing it over is a race with every other process.
//
//   const twin = await startTwin({ dataDir, env: { RUST_LOG: "warn" } });
//   await fetch(`${twin.base}/healthz`);  ...  await twin.stop();
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const portOf = (addr) => Number(addr.slice(addr.lastIndexOf(":") + 1));

/**
 * Starts the server and resolves once both its listeners are bound; rejects,
 * with the server's stderr, if it exits first or is not ready in time.
 *
 * `port` is 0 (any free port) unless a test restarts a twin on the port it
 * had, because an open page's origin includes it.
 */
export async function startTwin({
  binary = process.env.TIME_CRUNCH_SERVER, dataDir, staticDir = dataDir, pkgDir = dataDir, flags, port = 0,
  args = [], env = {}, forwardStderr = false, readyTimeoutMs = 30_000,
} = {}) {
  if (!binary) throw new Error("set TIME_CRUNCH_SERVER to the server binary (release build of examples/server)");
  if (!dataDir) throw new Error("startTwin needs a dataDir");
  const dir = mkdtempSync(join(tmpdir(), "tc-twin-")); // the ready file, apart from the data
  const readyFile = join(dir, "ready.json");
  const child = spawn(binary, [
    "--addr", `127.0.0.1:${port}`, "--metrics-addr", "127.0.0.1:0", "--ready-file", readyFile,
    "--data-dir", dataDir, "--static-dir", staticDir, "--pkg-dir", pkgDir, ...(flags ? ["--flags", flags] : []), ...args,
  ], { stdio: ["ignore", "ignore", "pipe"], env: { ...process.env, ...env } });

  let stderr = ""; // the last 4000 characters, for error messages
  child.stderr.setEncoding("utf8");
  child.stderr.on("data", (text) => {
    stderr = (stderr + text).slice(-4000);
    if (forwardStderr) process.stderr.write(text);
  });
  let spawnError;
  child.once("error", (error) => { spawnError = error; });
  let status; // the exit code, or the signal that ended it
  const closed = new Promise((resolve) => child.once("close", (code, signal) => resolve((status = code ?? signal))));
  const done = () => rmSync(dir, { recursive: true, force: true });

  const deadline = Date.now() + readyTimeoutMs;
  while (!existsSync(readyFile)) {
    if (spawnError) {
      done();
      throw new Error(`cannot start ${binary}: ${spawnError.message}`);
    }
    if (status !== undefined) {
      done();
      throw new Error(`the server twin exited with status ${status} before it was ready:\n${stderr}`);
    }
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      await closed;
      done();
      throw new Error(`the server twin was not ready after ${readyTimeoutMs} ms:\n${stderr}`);
    }
    await sleep(20);
  }
  const ready = JSON.parse(readFileSync(readyFile, "utf8"));
  done();

  return {
    url: ready.url, // "http://127.0.0.1:P/"
    base: `http://${ready.addr}`, // the same without the final slash, for `${base}/path`
    port: portOf(ready.addr),
    metricsPort: portOf(ready.metricsAddr),
    metricsUrl: `http://${ready.metricsAddr}/metrics`,
    child,
    get stderr() { return stderr; },
    /** SIGTERM, then waits; SIGKILL after `timeoutMs`. Resolves to the exit status (null if it had to be killed). */
    async stop(timeoutMs = 15_000) {
      if (status !== undefined) return status;
      child.kill("SIGTERM");
      let timer;
      const late = new Promise((resolve) => { timer = setTimeout(resolve, timeoutMs, "late"); });
      const outcome = await Promise.race([closed, late]);
      clearTimeout(timer);
      if (outcome !== "late") return outcome;
      child.kill("SIGKILL");
      await closed;
      return null;
    },
    /** kill -9, as a crash would. */
    async kill() {
      if (status === undefined) child.kill("SIGKILL");
      await closed;
    },
  };
}
