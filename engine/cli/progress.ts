/** A progress bar on stderr for long loads and computations; silent when stderr is not a terminal. */
import cliProgress from 'cli-progress';

export class Progress {
  private bar: cliProgress.SingleBar | null = null;
  private total = 0;

  constructor(private readonly enabled: boolean, private readonly label: string, private readonly unit: 'bytes' | 'fraction') {
    this.enabled = enabled && !!process.stderr.isTTY;
  }

  update(done: number, total: number): void {
    if (!this.enabled) return;
    if (this.bar === null) {
      this.bar = new cliProgress.SingleBar({
        stream: process.stderr, format: `${this.label} [{bar}] {percentage}% {eta_formatted}`, hideCursor: true,
      }, cliProgress.Presets.shades_classic);
      this.total = this.unit === 'bytes' ? total : 1000;
      this.bar.start(this.total, 0);
    }
    this.bar.update(this.unit === 'bytes' ? done : Math.round(done * 1000));
  }

  stop(): void {
    this.bar?.stop();
    this.bar = null;
  }
}
