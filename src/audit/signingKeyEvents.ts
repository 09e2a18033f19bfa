/**
 * The events of the registry's IssuerKeyRegistry (format v2 signing keys), indexed with the registry's own: each names
 * the issuer and the key (`args.key`, bytes32); `SigningKeyRevoked` also the compromise time (`args.compromisedAt`,
 * seconds), the reason and the actor.
 */
export const SIGNING_KEY_EVENTS: readonly string[] = ["SigningKeyAdded", "SigningKeyRetired", "SigningKeyRevoked"];

/** Whether `event` (an event name) is one of the key registry's. */
export const isSigningKeyEvent = (event: string) => SIGNING_KEY_EVENTS.includes(event);
