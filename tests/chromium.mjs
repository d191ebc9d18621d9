// How every browser check launches Debian's Chromium through Playwright
// (tests/consumer and tests/e2e each install playwright-core, so callers
// pass these options to their own `chromium.launch`): headless, without the
// sandbox a container lacks, and without the background traffic (updates,
// sync, first-run) that would disturb the timings.
export const CHROMIUM_LAUNCH = {
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync"],
};
