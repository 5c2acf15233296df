// cilium-cli's console logger: lines (optionally prefixed `[RFC3339] ` with -t) and unbuffered
// progress dots on a line of their own; a line after dots starts on a fresh line.
export interface Sink {
  write(text: string): void;
}

export class Printer {
  private midLine = false;

  constructor(
    private readonly out: Sink,
    private readonly timestamps: boolean,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  line(text = ''): void {
    const stamp = this.timestamps ? `[${this.clock().toISOString().replace(/\.\d{3}Z$/, 'Z')}] ` : '';
    this.out.write(`${this.midLine ? '\n' : ''}${stamp}${text}\n`);
    this.midLine = false;
  }

  dot(): void {
    this.out.write('.');
    this.midLine = true;
  }

  /** Ends a line of dots, if one is open. */
  flush(): void {
    if (this.midLine) this.out.write('\n');
    this.midLine = false;
  }
}
