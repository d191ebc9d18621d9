// What a team's web app writes to evaluate the Time Crunch flag through
// OpenFeature: the web SDK with its OFREP provider pointed at the server
// twin. tests/e2e/ofrep.test.mjs bundles this file with esbuild (as the
// app's own build would) and drives it through `window.flags`.
import { OpenFeature, ProviderEvents } from "@openfeature/web-sdk";
import { OFREPWebProvider } from "@openfeature/ofrep-web-provider";

/** The flags each ConfigurationChanged event named, in order. */
const changes = [];

window.flags = {
  /**
   * Sets the user (the evaluation context's targetingKey; none when
   * undefined) and the OFREP provider for the twin at `baseUrl`, polling
   * every `pollInterval` ms; resolves once the provider is ready, or with
   * the error it failed with.
   */
  async start({ baseUrl, targetingKey, pollInterval }) {
    await OpenFeature.setContext(targetingKey === undefined ? {} : { targetingKey });
    OpenFeature.addHandler(ProviderEvents.ConfigurationChanged, (event) => changes.push(event?.flagsChanged ?? []));
    try {
      await OpenFeature.setProviderAndWait(new OFREPWebProvider({ baseUrl, pollInterval }));
      return { ready: true };
    } catch (error) {
      return { ready: false, name: error?.name, code: error?.code, message: String(error?.message ?? error) };
    }
  },
  /** The SDK's evaluation details of a boolean flag. */
  details(key, defaultValue) {
    const { value, variant, reason, errorCode } = OpenFeature.getClient().getBooleanDetails(key, defaultValue);
    return { value, variant: variant ?? null, reason, errorCode: errorCode ?? null };
  },
  changes,
};
