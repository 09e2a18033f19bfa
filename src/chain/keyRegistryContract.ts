import { Interface } from "ethers";
import { issuerKeyRegistryAbi } from "./issuerKeyRegistryArtifact.ts";

/** The IssuerKeyRegistry's ABI as an ethers Interface (events, errors, functions). */
export const keyRegistryInterface = new Interface(issuerKeyRegistryAbi);
