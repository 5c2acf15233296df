// text/tabwriter as cilium-cli configures it: a row's cells are padded to their column's widest
// cell plus `padding` (at least `minWidth`), except a row's last cell. A row ending in '' stands
// for a line whose every cell is tab-terminated, so its last real cell is padded too — the
// trailing spaces `cilium bgp peers` prints.
export function tabulate(rows: ReadonlyArray<ReadonlyArray<string>>, opts: { padding: number; minWidth?: number }): string {
  const width = (s: string): number => [...s].length;
  const widths: number[] = [];
  for (const row of rows) row.slice(0, -1).forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, width(cell) + opts.padding, opts.minWidth ?? 0)));
  return rows
    .map((row) => row.map((cell, i) => (i < row.length - 1 ? cell + ' '.repeat((widths[i] ?? 0) - width(cell)) : cell)).join(''))
    .map((line) => `${line}\n`)
    .join('');
}
