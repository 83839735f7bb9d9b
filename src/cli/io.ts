/** Where the CLI writes; tests pass collectors, the bin passes the process streams. */
export interface CliIO {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
}

export const processIO: CliIO = { stdout: process.stdout, stderr: process.stderr };
