/** The clock is a port: core code never reads the wall clock itself. */
export interface Clock {
  /** Milliseconds since the epoch, UTC. */
  now(): number;
}

export const fixedClock = (epochMs: number): Clock => ({ now: () => epochMs });
