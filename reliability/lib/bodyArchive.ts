import { createWriteStream, existsSync, mkdirSync, readdirSync, rmSync, type WriteStream } from 'node:fs';
import path from 'node:path';

/**
 * Every API response body the suite receives, appended to files of at most ~64 MB each, so the
 * secrets scan at the end can read all of them after the simulator has issued its last token.
 */

const FILE_LIMIT_BYTES = 64 * 1024 * 1024;
const SEPARATOR = '\n\u0000\n';

export class BodyArchive {
  private stream: WriteStream | null = null;
  private fileBytes = 0;
  private files = 0;
  bodies = 0;
  bytes = 0;

  constructor(private readonly dir: string) {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
  }

  add(body: Buffer): void {
    if (!this.stream || this.fileBytes > FILE_LIMIT_BYTES) this.rotate();
    this.stream!.write(body);
    this.stream!.write(SEPARATOR);
    this.bodies += 1;
    this.bytes += body.length;
    this.fileBytes += body.length;
  }

  private rotate(): void {
    this.stream?.end();
    this.files += 1;
    this.fileBytes = 0;
    this.stream = createWriteStream(path.join(this.dir, `bodies-${String(this.files).padStart(3, '0')}.txt`));
  }

  /** Flushes and returns the files written (none once the directory has been removed). */
  async close(): Promise<string[]> {
    const stream = this.stream;
    this.stream = null;
    if (stream) await new Promise<void>((resolve) => stream.end(resolve));
    if (!existsSync(this.dir)) return [];
    return readdirSync(this.dir)
      .sort()
      .map((f) => path.join(this.dir, f));
  }
}
