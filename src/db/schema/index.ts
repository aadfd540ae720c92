export * from './sources.js';
export * from './posts.js';
export * from './classifications.js';
export * from './signals.js';
export * from './complaints.js';
export * from './access.js';
