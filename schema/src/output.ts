/**
 * One line per step on stdout, plain text: these CLIs run in terminals and CI logs, where
 * structured JSON (the services' pino logs) would only be noise.
 */
export const say = {
  step: (message: string): void => line(`${message}…`),
  ok: (message: string): void => line(`✔ ${message}`),
  note: (message: string): void => line(`  ${message}`),
  warn: (message: string): void => line(`⚠ ${message}`),
  fail: (message: string): void => line(`✖ ${message}`),
};

function line(text: string): void {
  process.stdout.write(`${text}\n`);
}
