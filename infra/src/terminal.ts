/**
 * All of `pnpm start`'s own output goes through here so progress lines, child output and error
 * lines never end up on the same line: a step may leave its line open ("[1/5] PostgreSQL …") and
 * complete it later (" ok"), and anything printed in between closes it first.
 */
export interface Output {
  write(text: string): unknown;
  isTTY?: boolean;
}

export class Terminal {
  private open = false;
  readonly color: boolean;

  constructor(
    private readonly out: Output = process.stdout,
    color?: boolean,
  ) {
    this.color = color ?? (Boolean(out.isTTY) && !process.env.NO_COLOR && process.env.TERM !== 'dumb');
  }

  /** Writes `text` and leaves the line open for `finish`. */
  begin(text: string): void {
    this.closeOpenLine();
    this.out.write(text);
    this.open = true;
  }

  /** Completes the line `begin` opened, or prints `whole` when something came in between. */
  finish(suffix: string, whole: string): void {
    if (this.open) this.out.write(`${suffix}\n`);
    else this.out.write(`${whole}\n`);
    this.open = false;
  }

  line(text: string): void {
    this.closeOpenLine();
    this.out.write(`${text}\n`);
  }

  private closeOpenLine(): void {
    if (this.open) {
      this.out.write('\n');
      this.open = false;
    }
  }

  paint(code: number, text: string): string {
    return this.color ? `\u001b[${code}m${text}\u001b[0m` : text;
  }
}

/** Numbered steps: "[2/7] Redis redis://127.0.0.1:6379 … ok (running, 3 ms)". */
export class Steps {
  private index = 0;

  constructor(
    private readonly terminal: Terminal,
    readonly total: number,
  ) {}

  /** Runs one step; `say` prints an indented line under it. Throws what `run` throws. */
  async run<T>(
    label: string,
    run: (say: (line: string) => void) => Promise<T>,
    describe: (result: T) => string,
  ): Promise<T> {
    const head = `[${++this.index}/${this.total}] ${label} …`;
    this.terminal.begin(head);
    const say = (line: string) => this.terminal.line(`      ${line}`);
    try {
      const result = await run(say);
      const ok = `${this.terminal.paint(32, 'ok')} ${describe(result)}`.trimEnd();
      this.terminal.finish(` ${ok}`, `${head} ${ok}`);
      return result;
    } catch (error) {
      const failed = this.terminal.paint(31, 'failed');
      this.terminal.finish(` ${failed}`, `${head} ${failed}`);
      throw error;
    }
  }

  /** An indented line under the current step. */
  say(line: string): void {
    this.terminal.line(`      ${line}`);
  }

  /** A step whose work already happened elsewhere (children starting in parallel). */
  done(label: string, detail: string): void {
    this.terminal.line(
      `[${++this.index}/${this.total}] ${label} … ${this.terminal.paint(32, 'ok')} ${detail}`.trimEnd(),
    );
  }

  failed(label: string): void {
    this.terminal.line(`[${++this.index}/${this.total}] ${label} … ${this.terminal.paint(31, 'failed')}`);
  }
}

export function formatMs(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}
