import { sql } from 'drizzle-orm';
import type { Db } from '../client.js';
import { signals, sources } from '../schema/index.js';

export async function signalCountsByState(db: Db): Promise<{ state: string; n: number }[]> {
  return db.select({ state: signals.state, n: sql<number>`count(*)::int` }).from(signals).groupBy(signals.state);
}

export async function sourceCountsByHealth(db: Db): Promise<{ health: string; n: number }[]> {
  return db.select({ health: sources.healthStatus, n: sql<number>`count(*)::int` }).from(sources).groupBy(sources.healthStatus);
}
