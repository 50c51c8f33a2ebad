// National identity numbers: the Chinese 18-character resident ID (ISO 7064 mod 11-2 check character and a
// real, past birth date: together they reject almost every other 18-digit number), and US Social Security
// numbers, which have no checksum and are only taken when labelled; the Taiwan ID (身分證字號: a letter and nine
// digits with a check digit), taken when labelled.
import { candidate, labelVerdict, firstMatch, type Candidate, type Detector, withTraditional } from './util.ts';

const CN_ID =
  /(?<![0-9A-Za-z])[1-8]\d{5} ?(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01]) ?\d{3}[\dXx](?![0-9A-Za-z])/g;
const CN_ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CN_ID_CHECK = '10X98765432';
const ID_LABEL = withTraditional(
  /身[份分]证(?:字?号码?)?|证件号|(?<![A-Za-z])(?:id|identity|national\s*id|resident\s*id|id\s*card)(?![A-Za-z])/gi,
);
const NOT_ID_LABEL =
  withTraditional(
  /订单|单号|交易|流水|(?<![A-Za-z])(?:order|tx|txid|transaction|tracking|invoice|uid|user\s*id|account|hash)(?![A-Za-z])/gi,
);

const TW_ID = /(?<![0-9A-Za-z])[A-Z][1289]\d{8}(?![0-9A-Za-z])/g;
/** Letter values of the Taiwan ID (A=10 … Z=33, in the official, non-alphabetical order). */
const TW_LETTERS = 'ABCDEFGHJKLMNPQRSTUVXYWZIO';

/** Taiwan national ID check: letter value digits weighted 1, 9, then 8…1, 1 over the nine digits; sum % 10 = 0. */
export function taiwanIdValid(id: string): boolean {
  const v = TW_LETTERS.indexOf(id[0] ?? '') + 10;
  if (v < 10) return false;
  let sum = Math.floor(v / 10) + (v % 10) * 9;
  const weights = [8, 7, 6, 5, 4, 3, 2, 1, 1];
  for (let i = 0; i < 9; i++) sum += (id.charCodeAt(i + 1) - 48) * (weights[i] ?? 0);
  return sum % 10 === 0;
}

export function chineseIdValid(id: string): boolean {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += (id.charCodeAt(i) - 48) * (CN_ID_WEIGHTS[i] ?? 0);
  if (CN_ID_CHECK[sum % 11] !== id[17]?.toUpperCase()) return false;
  const year = Number(id.slice(6, 10));
  const month = Number(id.slice(10, 12));
  const day = Number(id.slice(12, 14));
  const birth = new Date(Date.UTC(year, month - 1, day));
  return year >= 1900 && birth.getUTCMonth() === month - 1 && birth.getUTCDate() === day && birth.getTime() <= Date.now();
}

const SSN =
  /(?<![A-Za-z])(?:ssn|ss#|social[\s-]*security(?:[\s-]*(?:number|no\.?|#))?)(?![A-Za-z])[\s:：#=-]{0,4}(?:is\s{1,3})?(\d{3}([- ]?)\d{2}\2\d{4})(?!\d)/gi;

function ssnValid(ssn: string): boolean {
  const d = ssn.replace(/\D/g, '');
  const area = Number(d.slice(0, 3));
  return area !== 0 && area !== 666 && area < 900 && d.slice(3, 5) !== '00' && d.slice(5) !== '0000';
}

export const detectNationalIds: Detector = (text) => {
  const out: Candidate[] = [];
  for (let m = firstMatch(CN_ID, text); m; m = CN_ID.exec(text)) {
    const end = m.index + m[0].length;
    if (!chineseIdValid(m[0].replace(/ /g, ''))) continue;
    const verdict = labelVerdict(text, m.index, end, ID_LABEL, NOT_ID_LABEL, 32, 0);
    if (verdict !== 'negative') out.push(candidate('national_id', m.index, end, verdict === 'positive'));
  }
  for (let m = firstMatch(TW_ID, text); m; m = TW_ID.exec(text)) {
    const end = m.index + m[0].length;
    if (taiwanIdValid(m[0]) && labelVerdict(text, m.index, end, ID_LABEL, NOT_ID_LABEL, 32, 0) === 'positive') {
      out.push(candidate('national_id', m.index, end, true));
    }
  }
  for (let m = firstMatch(SSN, text); m; m = SSN.exec(text)) {
    const value = m[1] ?? '';
    const end = m.index + m[0].length;
    if (ssnValid(value)) out.push(candidate('national_id', end - value.length, end, true));
  }
  return out;
};
