import { runWorkerProcess } from './run.js';

await runWorkerProcess(['deliver']);
