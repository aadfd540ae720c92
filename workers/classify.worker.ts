import { runWorkerProcess } from './run.js';

await runWorkerProcess(['classify']);
