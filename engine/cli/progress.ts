/**
 * A progress bar on stderr for long loads and computations, naming its stage ("reading
 * edges.csv", "pagerank", "supernodes: betweenness"); silent when stderr is not a terminal.
 */
import cliProgress from 'cli-progress';

export class Progress {
  private bar: cliProgress.SingleBar | null = null;
  private total = 0;
  private stage = '';

  constructor(private readonly enabled: boolean, private readonly label: string, private readonly unit: 'bytes' | 'fraction') {
    this.enabled = enabled && !!process.stderr.isTTY;
  }

  /** `stage`: the step now running, shown after the label (the analysis names each kernel). */
  update(done: number, total: number, stage?: string): void {
    if (!this.enabled) return;
    if (stage !== undefined) this.stage = stage;
    const payload = { stage: this.stage === '' ? '' : `: ${this.stage}` };
    if (this.bar === null) {
      this.bar = new cliProgress.SingleBar({
        stream: process.stderr, format: `${this.label}{stage} [{bar}] {percentage}% {eta_formatted}`, hideCursor: true,
      }, cliProgress.Presets.shades_classic);
      this.total = this.unit === 'bytes' ? total : 1000;
      this.bar.start(this.total, 0, payload);
    }
    this.bar.update(this.unit === 'bytes' ? done : Math.round(done * 1000), payload);
  }

  stop(): void {
    this.bar?.stop();
    this.bar = null;
  }
}
