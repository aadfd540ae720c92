import { parseArgs } from 'node:util';
import { countOption } from './classifier/cli/cli-support.js';
import { runCli } from './cli.js';
import { loadConfig } from './config.js';
import { createDeps } from './deps.js';
import { requeueUnclassified } from './services/maintenance.js';
import { createHandlers } from '../workers/handlers/index.js';

/**
 * `npm run reclassify`: after a model change, queue every stored post the configured model has not
 * classified yet. With Redis the workers do the work; without, it runs here and waits.
 */
await runCli(async () => {
  const { values } = parseArgs({ options: { limit: { type: 'string' } } });
  const max = countOption(values.limit, 'limit', Number.MAX_SAFE_INTEGER)!;
  const deps = await createDeps(loadConfig());
  try {
    await deps.database.migrate();
    const classifier = await deps.classifier();
    if (deps.queue.transport === 'in-process') await deps.queue.startWorkers(['classify'], createHandlers(deps));
    const queued = await requeueUnclassified({ db: deps.db, queue: deps.queue, modelVersion: classifier.version, classifyBatchSize: deps.config.classifyBatchSize }, 'reclassify', 0, max);
    console.log(`${queued} posts queued for ${classifier.version}`);
    if (deps.queue.transport === 'in-process') {
      for (;;) {
        const c = (await deps.queue.counts()).classify ?? {};
        if (!c.waiting && !c.active && !c.delayed) break;
        process.stderr.write(`\rclassified ${c.completed ?? 0} batches, ${c.waiting ?? 0} waiting   `);
        await new Promise((r) => setTimeout(r, 500));
      }
      process.stderr.write('\n');
      console.log('done');
    } else {
      console.log('the classify workers are processing them; watch /metrics (klachtsignaal_jobs{queue="classify"})');
    }
  } finally {
    await deps.close();
  }
});
