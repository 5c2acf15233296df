// CLI output copied from a terminal or CI log keeps its colour codes (ESC [ … m).
const ansi = new RegExp(`${String.fromCharCode(27)}\\[[0-9;?]*[ -/]*[@-~]`, 'g');

export function stripAnsi(text: string): string {
  return text.replace(ansi, '');
}
