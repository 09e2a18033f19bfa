import { network } from "hardhat";
import { type Contract, id } from "ethers";

export const ADMIN_DELAY = 3 * 24 * 60 * 60;
export const PROFILE_A = "https://university-a.example/issuer";
export const PROFILE_B = "did:web:bootcamp-b.example";

type Signer = { address: string };

/**
 * A fresh in-process chain with a deployed registry: `admin` (default admin), `accreditor` (ACCREDITOR_ROLE),
 * `issuerA` and `issuerB` accredited, `outsider` with no role. Each call is its own network: tests never share state.
 */
export async function deployRegistryFixture() {
  const connection = await network.create();
  const { ethers, networkHelpers } = connection;
  const [admin, accreditor, issuerA, issuerB, outsider, spare] = await ethers.getSigners();
  if (!admin || !accreditor || !issuerA || !issuerB || !outsider || !spare) throw new Error("Hardhat gave too few accounts");
  const registry = (await ethers.deployContract("CredentialRegistry", [ADMIN_DELAY, admin.address])) as unknown as Contract;
  const ACCREDITOR_ROLE = (await registry.getFunction("ACCREDITOR_ROLE")()) as string;
  await (await registry.getFunction("grantRole")(ACCREDITOR_ROLE, accreditor.address)).wait();
  const as = (signer: Signer) => registry.connect(signer as never) as Contract;
  await (await as(accreditor).getFunction("accreditIssuer")(issuerA.address, "University A", PROFILE_A)).wait();
  await (await as(accreditor).getFunction("accreditIssuer")(issuerB.address, "Bootcamp B", PROFILE_B)).wait();

  /** The block time of the block that mined `response`. */
  const blockTime = async (response: { wait(): Promise<unknown> }): Promise<number> => {
    const receipt = (await response.wait()) as { blockNumber: number };
    const block = await ethers.provider.getBlock(receipt.blockNumber);
    if (!block) throw new Error("block not found");
    return block.timestamp;
  };

  return {
    connection,
    ethers,
    networkHelpers,
    registry,
    as,
    blockTime,
    ACCREDITOR_ROLE,
    admin,
    accreditor,
    issuerA,
    issuerB,
    outsider,
    spare,
  };
}

/** A deterministic bytes32 (keccak of the label) for roots and hashes. */
export function bytes32(label: string | number): string {
  return id(String(label));
}
