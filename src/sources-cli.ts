import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { runCli } from './cli.js';
import { loadConfig } from './config.js';
import { createDeps, type Deps } from './deps.js';
import { getSource, getSourceByName, listRuns, listSources, type SourceRow } from './db/repos/sources.repo.js';
import { AppError } from './errors.js';
import { collectSource } from './services/collect.js';
import { changeSource, createSource } from './services/sources.js';
import { collectDeps, createHandlers } from '../workers/handlers/index.js';

const USAGE = `usage: npm run sources -- <command>
  add --kind <kind> --name <name> (--config '<json>' | --config-file <file>) [--interval <seconds>] [--disabled]
  list
  enable <name|id>      disable <name|id>
  run <name|id>         collect now, in this process, and show the run's counts
  runs <name|id>        the latest runs with counts and gaps`;

async function findSource(deps: Deps, ref: string | undefined): Promise<SourceRow> {
  if (!ref) throw new AppError('usage', USAGE, 2);
  const source = /^\d+$/.test(ref) ? await getSource(deps.db, Number(ref)) : await getSourceByName(deps.db, ref);
  if (!source) throw new AppError('not_found', `No source "${ref}".`, 1);
  return source;
}

/** Waits until the in-process queue has nothing waiting, delayed or running. */
async function drain(deps: Deps): Promise<void> {
  for (;;) {
    const counts = Object.values(await deps.queue.counts());
    if (counts.every((c) => !c.waiting && !c.active && !c.delayed)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
}

const commands: Record<string, (deps: Deps, args: string[]) => Promise<void>> = {
  async add(deps, args) {
    const { values } = parseArgs({ args, options: {
      kind: { type: 'string' }, name: { type: 'string' }, config: { type: 'string' }, 'config-file': { type: 'string' },
      interval: { type: 'string' }, disabled: { type: 'boolean' },
    } });
    if (!values.kind || !values.name || !(values.config || values['config-file'])) throw new AppError('usage', USAGE, 2);
    const raw = values.config ?? readFileSync(values['config-file']!, 'utf8');
    let config: Record<string, unknown>;
    try { config = JSON.parse(raw); } catch (e) { throw new AppError('invalid_config', `--config is not JSON: ${(e as Error).message}`, 2); }
    const source = await createSource(deps.db, deps.queue, { kind: values.kind, name: values.name, config, intervalSeconds: values.interval ? Number(values.interval) : null, enabled: !values.disabled });
    console.log(`added source ${source.id} "${source.name}" (${source.kind})${source.intervalSeconds ? `, every ${source.intervalSeconds} s` : ', on demand only'}`);
  },
  async list(deps) {
    console.table((await listSources(deps.db)).map((s) => ({
      id: s.id, name: s.name, kind: s.kind, enabled: s.enabled, every_s: s.intervalSeconds ?? '-', health: s.healthStatus,
      last_run: s.lastRunAt?.toISOString() ?? '-', last_error: s.lastError ?? '',
    })));
  },
  async enable(deps, [ref]) {
    const source = await changeSource(deps.db, deps.queue, (await findSource(deps, ref)).id, { enabled: true });
    console.log(`enabled "${source.name}"`);
  },
  async disable(deps, [ref]) {
    const source = await changeSource(deps.db, deps.queue, (await findSource(deps, ref)).id, { enabled: false });
    console.log(`disabled "${source.name}"`);
  },
  async run(deps, [ref]) {
    const source = await findSource(deps, ref);
    if (deps.queue.transport === 'in-process') await deps.queue.startWorkers(['classify'], createHandlers(deps));
    const outcome = await collectSource(collectDeps(deps), source.id, Infinity);
    if (deps.queue.transport === 'in-process') await drain(deps);
    if (outcome.skipped) { console.log(`"${source.name}" is being collected by another process right now; nothing done.`); return; }
    const { fetched, inserted, duplicates, filtered, failed, deleted } = outcome;
    console.table([{ fetched, new: inserted, duplicate: duplicates, filtered, failed, deleted }]);
    if (outcome.gap) console.log(`gap: ${outcome.gap.reason} — ${outcome.gap.detail}`);
    if (outcome.disabled) console.log(`source disabled: ${outcome.disabled}`);
    console.log(deps.queue.transport === 'in-process' ? 'classified in this process' : 'classification queued for the workers');
  },
  async runs(deps, [ref]) {
    const source = await findSource(deps, ref);
    console.table((await listRuns(deps.db, source.id, 20)).map((r) => ({
      id: r.id, status: r.status, started: r.startedAt.toISOString(), fetched: r.fetched, new: r.inserted, duplicate: r.duplicates,
      filtered: r.filtered, failed: r.failed, deleted: r.deleted, gap: r.gap ? `${r.gap.reason}` : '', error: r.error ?? '',
    })));
  },
};

await runCli(async () => {
  const [command, ...args] = process.argv.slice(2);
  const handler = command ? commands[command] : undefined;
  if (!handler) { console.error(USAGE); process.exit(2); }
  const config = loadConfig();
  const deps = await createDeps(config);
  try {
    await deps.database.migrate();
    await handler(deps, args);
  } catch (error) {
    if (error instanceof AppError) {
      console.error(`sources ${command}: ${error.message}`);
      for (const e of (error.details?.errors as { field: string; message: string }[] | undefined) ?? []) console.error(`  ${e.field}: ${e.message}`);
      process.exitCode = error.status === 2 ? 2 : 1;
    } else throw error;
  } finally {
    await deps.close();
  }
});
