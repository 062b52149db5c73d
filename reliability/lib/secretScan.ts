/**
 * Finds whole secrets in large texts (a database dump, response bodies, process logs) without
 * comparing every secret with every position: secrets are grouped by their first characters
 * (all eBay tokens share `v^1.1#`), each occurrence of a group's marker is checked against the
 * group's set by exact length. Also finds them percent-encoded (a leaked form body or URL).
 */

export interface SecretHit {
  source: string;
  offset: number;
  encoding: 'raw' | 'percent-encoded';
  /** Enough to tell which secret, not enough to be one. */
  preview: string;
}

interface Group {
  lengths: number[];
  secrets: Set<string>;
}

const MARKER_LENGTH = 6;

export class SecretIndex {
  private readonly groups = new Map<string, Group>();
  readonly size: number;

  constructor(secrets: Iterable<string>) {
    let size = 0;
    for (const secret of secrets) {
      if (secret.length < MARKER_LENGTH + 2)
        throw new Error('secrets this short cannot be scanned for reliably');
      const marker = secret.slice(0, MARKER_LENGTH);
      const group = this.groups.get(marker) ?? { lengths: [], secrets: new Set<string>() };
      if (!group.lengths.includes(secret.length)) group.lengths.push(secret.length);
      if (!group.secrets.has(secret)) size += 1;
      group.secrets.add(secret);
      this.groups.set(marker, group);
    }
    this.size = size;
  }

  scan(text: string, source: string): SecretHit[] {
    const hits: SecretHit[] = [];
    for (const [marker, group] of this.groups) {
      for (let i = text.indexOf(marker); i >= 0; i = text.indexOf(marker, i + 1)) {
        for (const length of group.lengths) {
          const candidate = text.substr(i, length);
          if (group.secrets.has(candidate)) hits.push(hit(source, i, 'raw', candidate));
        }
      }
      const encoded = encodeURIComponent(marker);
      if (encoded === marker) continue;
      for (const variant of new Set([encoded, encoded.replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase())])) {
        for (let i = text.indexOf(variant); i >= 0; i = text.indexOf(variant, i + 1)) {
          const decoded = decodePercentRun(text, i, Math.max(...group.lengths) * 3);
          for (const length of group.lengths) {
            const candidate = decoded.slice(0, length);
            if (candidate.length === length && group.secrets.has(candidate)) {
              hits.push(hit(source, i, 'percent-encoded', candidate));
            }
          }
        }
      }
    }
    return hits;
  }
}

function hit(source: string, offset: number, encoding: SecretHit['encoding'], secret: string): SecretHit {
  return { source, offset, encoding, preview: `${secret.slice(0, 12)}… (${secret.length} chars)` };
}

/** Decodes the percent-encoded text starting at `start` (up to `max` characters) as Latin-1 bytes. */
function decodePercentRun(text: string, start: number, max: number): string {
  const end = Math.min(text.length, start + max);
  let out = '';
  for (let i = start; i < end; ) {
    const c = text[i]!;
    if (c === '%' && /^[0-9A-Fa-f]{2}$/.test(text.slice(i + 1, i + 3))) {
      out += String.fromCharCode(Number.parseInt(text.slice(i + 1, i + 3), 16));
      i += 3;
    } else if (/[A-Za-z0-9\-._~!*'()]/.test(c)) {
      out += c;
      i += 1;
    } else {
      break;
    }
  }
  return out;
}
