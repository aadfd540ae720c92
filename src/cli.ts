import { ConfigError } from './config.js';

/** Runs a command-line entry point: configuration errors become one sentence and exit code 2. */
export async function runCli(main: () => Promise<void>): Promise<void> {
  try {
    await main();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`klachtsignaal: configuration error: ${error.message}`);
      process.exit(2);
    }
    console.error(error);
    process.exit(1);
  }
}
