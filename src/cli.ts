import { ConfigError } from './config.js';

/** A wrong command-line option or argument: the user can fix it from the message alone. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/**
 * Runs a command-line entry point. Configuration and usage errors become one sentence and exit
 * code 2; anything else is one line too (the stack with DEBUG set) and exit code 1.
 */
export async function runCli(main: () => Promise<void>): Promise<void> {
  try {
    await main();
  } catch (error) {
    if (error instanceof ConfigError || error instanceof UsageError) {
      console.error(`klachtsignaal: ${error instanceof ConfigError ? 'configuration error: ' : ''}${error.message}`);
      process.exit(2);
    }
    const message = error instanceof Error ? error.message : String(error);
    console.error(`klachtsignaal: ${message}${process.env.DEBUG ? '' : ' (set DEBUG=1 for details)'}`);
    if (process.env.DEBUG) console.error(error);
    process.exit(1);
  }
}
