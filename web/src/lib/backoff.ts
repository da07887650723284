// Reconnection delays for the live stream: exponential with full jitter, capped, so that many
// consoles reconnecting to a restarted server do not arrive in lock-step.

export interface BackoffOptions {
  initialMs: number; // delay before the first retry's jitter
  maxMs: number; // cap of the exponential part
}

export const kStreamBackoff: BackoffOptions = { initialMs: 500, maxMs: 15_000 };

// Delay before retry number `attempt` (0-based). `random` is in [0, 1): Math.random in use,
// fixed in tests. The result lies in [ceiling / 2, ceiling], where ceiling doubles per attempt.
export function backoffDelayMs(attempt: number, options: BackoffOptions = kStreamBackoff, random = Math.random()): number {
  const exponent = Math.min(Math.max(attempt, 0), 30);
  const ceiling = Math.min(options.maxMs, options.initialMs * 2 ** exponent);
  return Math.round(ceiling / 2 + (ceiling / 2) * random);
}
