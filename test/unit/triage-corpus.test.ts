// The labelled corpus the offline triage classifier will train on: every line
// parses, uses the schema's enums, sits in its type's file, and is not repeated.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const dir = path.resolve(import.meta.dirname, '../../server/src/triage/corpus');
const TYPES = ['SUPPORT', 'SALES', 'BILLING', 'BUG', 'FEATURE_REQUEST', 'SPAM', 'OTHER'];
const PRIORITIES = ['LOW', 'NORMAL', 'HIGH', 'URGENT'];
const CHANNELS = ['SLACK', 'EMAIL', 'SMS', 'WHATSAPP'];
const LANGS = ['en', 'es', 'de', 'fr'];

interface Example { text: string; type: string; priority: string; channel: string; lang: string }

function load(): { file: string; line: number; ex: Example }[] {
  return readdirSync(dir).filter((f) => f.endsWith('.jsonl')).flatMap((file) =>
    readFileSync(path.join(dir, file), 'utf8').split('\n').filter((l) => l.trim()).map((l, i) => ({ file, line: i + 1, ex: JSON.parse(l) as Example })));
}

describe('triage corpus', () => {
  const all = load();

  it('has every type, with enough examples, and a share in Spanish, German and French', () => {
    for (const type of TYPES) expect(all.filter((e) => e.ex.type === type).length, type).toBeGreaterThanOrEqual(35);
    const foreign = all.filter((e) => e.ex.lang !== 'en').length / all.length;
    expect(foreign).toBeGreaterThan(0.1);
    for (const p of PRIORITIES) expect(all.some((e) => e.ex.priority === p), p).toBe(true);
  });

  it('uses valid labels, in the file of its type, with no repeated text', () => {
    const seen = new Set<string>();
    for (const { file, line, ex } of all) {
      const where = `${file}:${line}`;
      expect(TYPES, where).toContain(ex.type);
      expect(PRIORITIES, where).toContain(ex.priority);
      expect(CHANNELS, where).toContain(ex.channel);
      expect(LANGS, where).toContain(ex.lang);
      expect(file, where).toBe(`${ex.type.toLowerCase()}.jsonl`);
      expect(ex.text.trim().length, where).toBeGreaterThan(0);
      const key = ex.text.trim().toLowerCase();
      expect(seen.has(key), `${where} repeats a text`).toBe(false);
      seen.add(key);
    }
  });
});
