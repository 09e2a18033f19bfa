import { createRequire } from "node:module";
import path from "node:path";
import hardhatEthers from "@nomicfoundation/hardhat-ethers";
import hardhatEthersChaiMatchers from "@nomicfoundation/hardhat-ethers-chai-matchers";
import hardhatNetworkHelpers from "@nomicfoundation/hardhat-network-helpers";
import { configVariable, defineConfig } from "hardhat/config";

/** The exact compiler version; `solc` in package.json is pinned to the same version. */
export const SOLC_VERSION = "0.8.28";

const require = createRequire(import.meta.url);
// Compile offline with the solc-js build shipped by the pinned `solc` npm package.
const soljsonPath = path.join(path.dirname(require.resolve("solc/package.json")), "soljson.js");

export default defineConfig({
  plugins: [hardhatEthers, hardhatEthersChaiMatchers, hardhatNetworkHelpers],
  solidity: {
    version: SOLC_VERSION,
    path: soljsonPath,
    settings: {
      optimizer: { enabled: true, runs: 1_000_000 },
      evmVersion: "cancun",
      viaIR: false,
    },
  },
  networks: {
    // In-process simulated network, used by the tests and the benchmark.
    default: {
      type: "edr-simulated",
      chainType: "l1",
    },
    // A `hardhat node --hostname 127.0.0.1` (npm run node).
    localhost: {
      type: "http",
      chainType: "l1",
      url: "http://127.0.0.1:8545",
    },
    // Any EVM JSON-RPC endpoint (testnet, L2, mainnet): CREDREG_RPC_URL + CREDREG_PRIVATE_KEY.
    rpc: {
      type: "http",
      chainType: "l1",
      url: configVariable("CREDREG_RPC_URL"),
      accounts: [configVariable("CREDREG_PRIVATE_KEY")],
    },
  },
});
