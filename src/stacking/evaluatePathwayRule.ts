import type { PathwayRule } from "../credential/v2/pathwayRuleSchema.ts";

/** A component as the rule sees it: what it attests, and the address that anchored it. */
export type RuleComponent = {
  readonly id: string;
  readonly name: string;
  readonly achievement: string;
  /** The anchoring issuer's address. */
  readonly issuer: string;
  readonly credits: number | undefined;
  readonly eqfLevel: number | undefined;
};

/** Whether a set of components satisfies a pathway's rule, and which of them count. */
export type RuleOutcome<T extends RuleComponent = RuleComponent> = {
  readonly satisfied: boolean;
  /** The components that count (each of the rule's entries at most once), in the rule's order. */
  readonly counted: readonly T[];
  /** Components that match no entry of the rule (or an entry already counted). */
  readonly unmatched: readonly T[];
  /** Components that match an entry but are below the rule's minimum EQF level. */
  readonly belowLevel: readonly T[];
  readonly credits: number;
  /** What is missing, one sentence each (empty when satisfied). */
  readonly shortfalls: readonly string[];
};

/**
 * Checks `components` against `rule` (docs/stacking.md): a component counts for the entry naming its achievement
 * (and, when the entry names one, only if anchored by that issuer), at most one component per entry, and only at
 * the rule's minimum EQF level or above; the rule holds when `required` entries are counted and their credits add up
 * to `minCredits`. Credits of a component that states none count as 0.
 */
export function evaluatePathwayRule<T extends RuleComponent>(rule: PathwayRule, components: readonly T[]): RuleOutcome<T> {
  const counted: T[] = [];
  const unmatched: T[] = [];
  const belowLevel: T[] = [];
  const taken = new Set<number>();
  for (const component of components) {
    const entry = rule.components.findIndex((candidate, index) => !taken.has(index) && candidate.achievement === component.achievement && (candidate.issuer === undefined || candidate.issuer.toLowerCase() === component.issuer.toLowerCase()));
    if (entry === -1) unmatched.push(component);
    else if (rule.minEqfLevel !== undefined && (component.eqfLevel ?? 0) < rule.minEqfLevel) belowLevel.push(component);
    else {
      taken.add(entry);
      counted.push(component);
    }
  }
  const credits = counted.reduce((sum, component) => sum + (component.credits ?? 0), 0);
  const shortfalls: string[] = [];
  if (counted.length < rule.required) shortfalls.push(`${counted.length} of the ${rule.required} components the pathway requires`);
  if (rule.minCredits !== undefined && credits < rule.minCredits) shortfalls.push(`${credits} ECTS credits of the ${rule.minCredits} it requires`);
  const order = new Map(rule.components.map((entry, index) => [entry.achievement, index]));
  counted.sort((a, b) => order.get(a.achievement)! - order.get(b.achievement)!);
  return { satisfied: shortfalls.length === 0, counted, unmatched, belowLevel, credits, shortfalls };
}
