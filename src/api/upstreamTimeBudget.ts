/** Why a client may not start another upstream request now, and when it may. */
export type BudgetRefusal = { readonly reason: "inFlight" | "timeUsed"; readonly retryAfterSeconds: number };

export type UpstreamTimeBudget = {
  /** Starts an upstream request for `client`, or says why not; call the returned `done` when the chain answered. */
  begin(client: string): { done(): void } | BudgetRefusal;
};

/**
 * The time the chain spends on each client's /rpc requests: at most `msPerMinute` of upstream time a minute
 * (refilled continuously, charged by the wall time of each upstream request, so a client may overdraw by one
 * request, bounded by the upstream timeout) and at most `maxInFlight` requests in flight at once. In memory.
 */
export function upstreamTimeBudget(options: { msPerMinute: number; maxInFlight: number; now?: () => number }): UpstreamTimeBudget {
  const now = options.now ?? (() => performance.now());
  const clients = new Map<string, { balance: number; at: number; inFlight: number }>();
  const refill = (client: string) => {
    const time = now();
    const state = clients.get(client) ?? { balance: options.msPerMinute, at: time, inFlight: 0 };
    state.balance = Math.min(options.msPerMinute, state.balance + ((time - state.at) / 60_000) * options.msPerMinute);
    state.at = time;
    clients.set(client, state);
    return state;
  };
  return {
    begin(client) {
      const state = refill(client);
      if (state.inFlight >= options.maxInFlight) return { reason: "inFlight", retryAfterSeconds: 1 };
      if (state.balance <= 0) return { reason: "timeUsed", retryAfterSeconds: Math.max(1, Math.ceil(((1 - state.balance) / options.msPerMinute) * 60)) };
      state.inFlight += 1;
      const started = now();
      let finished = false;
      return {
        done() {
          if (finished) return;
          finished = true;
          const current = refill(client);
          current.inFlight -= 1;
          current.balance -= now() - started;
          if (clients.size > 10_000) {
            const time = now();
            for (const [key, value] of clients) if (value.inFlight === 0 && value.balance + ((time - value.at) / 60_000) * options.msPerMinute >= options.msPerMinute) clients.delete(key);
          }
        },
      };
    },
  };
}
