// Moved to src/errors/chainFailureCode.ts (shared by the CLI, the scripts and the API); kept for the API's imports.
export { chainFailureCode } from "../errors/chainFailureCode.ts";
