/**
 * Turns a child's output line into what `pnpm start` prints: the child's name as a prefix, and a
 * pino JSON line shortened to "time LEVEL msg key=value …". Anything else passes through as is.
 */
export type LogFormat = 'pretty' | 'json';

export interface LineFormatOptions {
  /** The child's name, e.g. "users". */
  name: string;
  /** Width the names are padded to, so messages line up. */
  width: number;
  format: LogFormat;
  color: boolean;
  /** ANSI colour code of this child's prefix. */
  prefixColor?: number;
  /** Renders pino's epoch-milliseconds `time` (local time by default). */
  clock?: (epochMs: number) => string;
}

const LEVELS: Record<number, { label: string; color: number }> = {
  10: { label: 'TRACE', color: 90 },
  20: { label: 'DEBUG', color: 90 },
  30: { label: 'INFO ', color: 32 },
  40: { label: 'WARN ', color: 33 },
  50: { label: 'ERROR', color: 31 },
  60: { label: 'FATAL', color: 35 },
};

/** Fields every pino line has, or that the prefix already shows. */
const HIDDEN = new Set(['level', 'time', 'pid', 'hostname', 'msg', 'service', 'name', 'v', 'err', 'error']);
const MAX_EXTRAS = 300;

export const PREFIX_COLORS = [36, 35, 34, 33, 32, 96, 95, 94, 93, 92];

export function formatChildLine(line: string, options: LineFormatOptions): string[] {
  const paint = (code: number, text: string) => (options.color ? `\u001b[${code}m${text}\u001b[0m` : text);
  const prefix = `${paint(options.prefixColor ?? 36, options.name.padEnd(options.width))} | `;
  if (options.format === 'json') return [prefix + line];
  const record = parsePinoLine(line);
  if (!record) return [prefix + line];

  const level = LEVELS[record.level as number] ?? { label: String(record.level).padEnd(5), color: 0 };
  const clock = options.clock ?? localClock;
  const parts: string[] = [];
  if (typeof record.time === 'number') parts.push(paint(90, clock(record.time)));
  parts.push(paint(level.color, level.label));
  if (typeof record.service === 'string' && record.service !== options.name) parts.push(`[${record.service}]`);
  const [firstLine, ...moreLines] = typeof record.msg === 'string' ? record.msg.split(/\r?\n/) : [];
  if (firstLine) parts.push(firstLine);
  const error = errorOf(record);
  if (error) parts.push(paint(31, `err=${error.summary}`));
  const extras = formatExtras(record);
  if (extras) parts.push(paint(90, extras));

  const lines = [prefix + parts.join(' ')];
  for (const more of moreLines) if (more.trim()) lines.push(prefix + `    ${more.trim()}`);
  if (error?.stack && (record.level as number) >= 50) {
    for (const stackLine of error.stack.split('\n').slice(1)) lines.push(prefix + paint(90, `    ${stackLine.trim()}`));
  }
  return lines;
}

/** The object in a pino JSON line, or undefined for any other line. */
export function parsePinoLine(line: string): Record<string, unknown> | undefined {
  const trimmed = line.trim();
  if (!trimmed.startsWith('{') || !trimmed.endsWith('}')) return undefined;
  try {
    const value: unknown = JSON.parse(trimmed);
    if (
      value &&
      typeof value === 'object' &&
      !Array.isArray(value) &&
      typeof (value as { level?: unknown }).level === 'number'
    ) {
      return value as Record<string, unknown>;
    }
  } catch {
    // not JSON after all
  }
  return undefined;
}

function errorOf(record: Record<string, unknown>): { summary: string; stack?: string } | undefined {
  const raw = record.err ?? record.error;
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw !== 'object') return { summary: String(raw) };
  const error = raw as { type?: unknown; message?: unknown; stack?: unknown; code?: unknown };
  const type = typeof error.type === 'string' ? error.type : 'Error';
  const code = typeof error.code === 'string' ? ` [${error.code}]` : '';
  const message = typeof error.message === 'string' ? error.message : JSON.stringify(raw);
  return { summary: `${type}${code}: ${message}`, stack: typeof error.stack === 'string' ? error.stack : undefined };
}

export function formatExtras(record: Record<string, unknown>): string {
  const parts: string[] = [];
  for (const [key, value] of Object.entries(record)) {
    if (HIDDEN.has(key) || value === undefined) continue;
    parts.push(`${key}=${formatValue(value)}`);
  }
  const text = parts.join(' ');
  return text.length > MAX_EXTRAS ? `${text.slice(0, MAX_EXTRAS - 1)}…` : text;
}

function formatValue(value: unknown): string {
  if (typeof value === 'string') return /^[^\s"=]+$/.test(value) ? value : JSON.stringify(value);
  return JSON.stringify(value) ?? String(value);
}

function localClock(epochMs: number): string {
  const date = new Date(epochMs);
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  return `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}.${pad(date.getMilliseconds(), 3)}`;
}
