import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { detect } from './index.ts';

// The canned responses the migrations seed are what agents send most: the guard refuses an agent's reply that
// holds a finding, so each of them must pass it cleanly (they talk about 助记词, 私钥, 密码 and 验证码 a lot).
const MIGRATIONS = join(import.meta.dirname, '../../prisma/migrations');

/** Every string literal of every INSERT INTO "CannedResponse" statement in the migrations ('' unescaped). */
function seededTexts(): string[] {
  const texts: string[] = [];
  for (const dir of readdirSync(MIGRATIONS, { withFileTypes: true })) {
    if (!dir.isDirectory()) continue;
    const sql = readFileSync(join(MIGRATIONS, dir.name, 'migration.sql'), 'utf8');
    for (const statement of sql.split(/;\s*$/m)) {
      if (!/INSERT INTO "CannedResponse"/.test(statement)) continue;
      for (const m of statement.matchAll(/'((?:[^']|'')*)'/g)) texts.push((m[1] ?? '').replaceAll("''", "'"));
    }
  }
  return texts;
}

describe('seeded canned responses', () => {
  const texts = seededTexts();

  it('are found in the migrations, in English and Chinese', () => {
    expect(texts.some((t) => t.includes('recovery phrase'))).toBe(true);
    expect(texts.some((t) => t.includes('助记词'))).toBe(true);
  });

  it('pass the guard without a finding', () => {
    expect(texts.map((t) => ({ t, findings: detect(t) })).filter((x) => x.findings.length > 0)).toEqual([]);
  });
});
