import { runWorkerProcess } from './run.js';

await runWorkerProcess(['collect']);
