import type { MachineFacts } from './machine';
import type { Check, SectionResult, Table } from './section';

export interface BenchRun {
  command: string;
  machine: MachineFacts;
  options: Record<string, unknown>;
  sections: SectionResult[];
}

export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const abs = Math.abs(value);
  const digits = abs >= 100 ? 0 : abs >= 10 ? 1 : abs >= 1 ? 2 : 3;
  return value.toFixed(digits);
}

export function checkRow(c: Check): string[] {
  return [
    c.label,
    `${formatNumber(c.measured)} ${c.unit}`,
    `${c.comparison} ${formatNumber(c.target)} ${c.unit}`,
    c.pass ? 'PASS' : 'MISS',
  ];
}

const CHECK_COLUMNS = ['check', 'measured', 'target', 'result'];

/** Numbers (and PASS/MISS beside them) right-aligned, text left-aligned. */
function rightAligned(rows: string[][], column: number): boolean {
  return rows.length > 0 && rows.every((row) => /^([<>]=\s*)?-?[\d.]|^(PASS|MISS)$/.test(row[column] ?? ''));
}

function consoleTable(table: Table): string {
  const all = [table.columns, ...table.rows];
  const widths = table.columns.map((_, i) => Math.max(...all.map((row) => (row[i] ?? '').length)));
  const right = table.columns.map((_, i) => rightAligned(table.rows, i));
  const line = (row: string[]) =>
    row
      .map((cell, i) => (right[i] ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  return [`  ${table.title}`, ...[line(table.columns), rule, ...table.rows.map(line)].map((l) => `    ${l}`)].join(
    '\n',
  );
}

export function renderSectionForConsole(result: SectionResult): string {
  const parts = [`\n== ${result.title} [${result.id}]`];
  for (const table of result.tables) parts.push(consoleTable(table));
  if (result.checks.length > 0) {
    parts.push(consoleTable({ title: 'Targets', columns: CHECK_COLUMNS, rows: result.checks.map(checkRow) }));
  }
  for (const note of result.notes) parts.push(`  note: ${note}`);
  for (const error of result.errors) parts.push(`  ERROR: ${error}`);
  return parts.join('\n');
}

function markdownTable(columns: string[], rows: string[][]): string {
  const escape = (cell: string) => cell.replaceAll('|', '\\|');
  return [
    `| ${columns.map(escape).join(' | ')} |`,
    `| ${columns.map((_, i) => (rightAligned(rows, i) ? '---:' : '---')).join(' | ')} |`,
    ...rows.map((row) => `| ${row.map(escape).join(' | ')} |`),
  ].join('\n');
}

export function renderMarkdown(run: BenchRun): string {
  const m = run.machine;
  const lines = [
    `# Benchmarks ${m.date.slice(0, 10)} on ${m.hostname}`,
    '',
    `Command: \`${run.command}\``,
    '',
    '## Machine',
    '',
    markdownTable(
      ['fact', 'value'],
      [
        ['date', m.date],
        ['CPU', m.cpuModel],
        ['logical cores', `${m.logicalCores} (available parallelism ${m.availableParallelism})`],
        ['memory', `${m.memoryGiB} GiB`],
        ['load average at start (1/5/15 min)', m.loadAverage.join(' / ')],
        ['platform', m.platform],
        ['Node', m.node],
        ['onnxruntime-node', m.onnxruntimeNode],
        ['@huggingface/transformers', m.transformersJs],
        ['git commit', `${m.gitCommit}${m.gitDirty ? ' (uncommitted changes)' : ''}`],
      ],
    ),
    '',
    `Options: \`${JSON.stringify(run.options)}\``,
  ];
  const checks = run.sections.flatMap((s) => s.checks.map((c) => [s.id, ...checkRow(c)]));
  if (checks.length > 0) {
    lines.push('', '## Summary', '', markdownTable(['section', ...CHECK_COLUMNS], checks));
  }
  for (const section of run.sections) {
    lines.push('', `## ${section.title}`, '', `Section id: \`${section.id}\``);
    for (const table of section.tables) {
      lines.push('', `**${table.title}**`, '', markdownTable(table.columns, table.rows));
    }
    if (section.checks.length > 0) {
      lines.push('', '**Targets**', '', markdownTable(CHECK_COLUMNS, section.checks.map(checkRow)));
    }
    const items = [
      ...section.notes.map((note) => `- ${note}`),
      ...section.errors.map((error) => `- **ERROR:** ${error}`),
    ];
    if (items.length > 0) lines.push('', ...items);
  }
  return lines.join('\n') + '\n';
}
