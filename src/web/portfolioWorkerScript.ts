// A verification worker of the portfolio page: verifies the groups of credentials the page sends it (the real
// verifier, as on the page itself) and answers with their results, so that a large portfolio uses every core.
// First: zod without eval (the Content-Security-Policy allows none), set before any schema is built.
import "./zodJitless.ts";
import { readPortfolioCredential } from "../portfolio/verifyPortfolioCredentials.ts";
import { verifyReadCredentials } from "../verifier/verifyCredentials.ts";
import type { WorkerReply, WorkerRequest } from "./verifyInWorkers.ts";

const scope = globalThis as unknown as { onmessage: ((event: MessageEvent<WorkerRequest>) => void) | null; postMessage: (reply: WorkerReply) => void };

scope.onmessage = (event) => {
  const { id, inputs, options } = event.data;
  void (async () => {
    try {
      const results = await verifyReadCredentials(
        inputs.map((input) => readPortfolioCredential(input)),
        options,
      );
      scope.postMessage({ id, results });
    } catch (error) {
      scope.postMessage({ id, error: error instanceof Error ? error.message : String(error) });
    }
  })();
};
