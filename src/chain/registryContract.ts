import { Contract, type ContractRunner, Interface } from "ethers";
import { credentialRegistryAbi } from "./credentialRegistryArtifact.ts";

/** The registry's ABI as an ethers Interface (events, errors, functions). */
export const registryInterface = new Interface(credentialRegistryAbi);

/** An ethers Contract for the CredentialRegistry at `address`, sending through `runner` (a Signer or Provider). */
export function registryContract(address: string, runner: ContractRunner): Contract {
  return new Contract(address, registryInterface, runner);
}
