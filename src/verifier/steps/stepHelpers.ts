import type { StepName, VerificationStep } from "../verificationTypes.ts";

export const passed = (name: StepName, message: string, details: Record<string, unknown> = {}): VerificationStep => ({ name, status: "passed", message, details });
export const failed = (name: StepName, message: string, details: Record<string, unknown> = {}): VerificationStep => ({ name, status: "failed", message, details });
export const skipped = (name: StepName, message: string, details: Record<string, unknown> = {}): VerificationStep => ({ name, status: "skipped", message, details });

/** A step that could not run because the chain could not be asked: the verdict becomes `error`, never `invalid`. */
export const couldNotVerify = (name: StepName, reason: string): VerificationStep => skipped(name, `Could not verify: ${reason}`, { couldNotVerify: true, reason });

/** A step not run because `because`, a step it depends on (directly or not), failed. */
export const notChecked = (name: StepName, because: StepName): VerificationStep => skipped(name, `Not checked: the ${because} step failed.`, { after: because });

/** Times already written (a bulk verification writes the same few times for every credential). */
const written = new Map<number, string>();

/** Unix seconds as an ISO 8601 date-time in UTC, to the second (`2026-01-31T12:00:00Z`). */
export function isoTime(seconds: number): string {
  let text = written.get(seconds);
  if (text === undefined) {
    text = `${new Date(seconds * 1000).toISOString().slice(0, 19)}Z`;
    if (written.size >= 4096) written.clear();
    written.set(seconds, text);
  }
  return text;
}
