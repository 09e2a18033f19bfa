import { InvalidConfigError } from "./configErrors.ts";

/**
 * A pending deployment (deployed, roles not all granted: `<chainId>.pending.json` in the deployments folder) cannot be
 * finished as asked: other settings were given, or its contract is no longer on the chain. Exit 1.
 */
export class PendingDeploymentError extends InvalidConfigError {
  override name = "PendingDeploymentError";
  readonly address: string;
  readonly chainId: string;

  constructor(deployment: { readonly address: string; readonly chainId: string }, problem: string, fix: string) {
    super(`The pending deployment on chain ${deployment.chainId} at ${deployment.address}`, problem, fix);
    this.address = deployment.address;
    this.chainId = deployment.chainId;
  }
}
