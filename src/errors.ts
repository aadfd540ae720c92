/** An error that reaches people: a stable machine code, an HTTP status and whether retrying may help. */
export class AppError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 500,
    readonly retryable = false,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const notFound = (what: string, id: string | number) =>
  new AppError('not_found', `${what} ${id} does not exist.`, 404);
