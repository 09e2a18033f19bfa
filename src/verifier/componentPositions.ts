import { MAX_PATHWAY_COMPONENTS } from "../credential/v2/pathwayRuleSchema.ts";

/** Positions reserved per credential for its components (at least the most a pathway may name). */
const SLOTS = 64;
if (MAX_PATHWAY_COMPONENTS > SLOTS) throw new Error("componentPositions: more components than slots");

/**
 * The position under which the chain's facts about component `index` of the stacked credential at `position` are
 * kept: negative, so never a credential's own position, and unique per (credential, component).
 */
export const componentPosition = (position: number, index: number): number => -(position * SLOTS + index) - 1;

/** The credential a component position belongs to (`position` itself when it is a credential's own position). */
export const ownerPosition = (position: number): number => (position >= 0 ? position : Math.floor((-position - 1) / SLOTS));
