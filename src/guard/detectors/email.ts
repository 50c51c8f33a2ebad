// Email addresses, found from each "@" outwards with a hand-written scan rather than one regex: a regex that
// has to guess where the local part starts retries from every character of a long run ("a"×100000 + "@"),
// while this scan reads each character a bounded number of times.
import { candidate, isAsciiAlnum, type Candidate, type Detector } from './util.ts';

const LOCAL_MAX = 64;
const DOMAIN_MAX = 253;

const isLocalChar = (c: number): boolean =>
  isAsciiAlnum(c) || c === 46 || c === 95 || c === 37 || c === 43 || c === 45; // . _ % + -
const isDomainChar = (c: number): boolean => isAsciiAlnum(c) || c === 46 || c === 45; // . -

export const detectEmails: Detector = (text) => {
  const out: Candidate[] = [];
  let searchFrom = 0;
  let lastEnd = 0;
  for (let at = text.indexOf('@', searchFrom); at >= 0; at = text.indexOf('@', searchFrom)) {
    searchFrom = at + 1;
    // Local part: walk back over allowed characters, never past the previous finding, at most 64 of them.
    let start = at;
    while (start > lastEnd && at - start < LOCAL_MAX + 1 && isLocalChar(text.charCodeAt(start - 1))) start--;
    if (start > lastEnd && isLocalChar(text.charCodeAt(start - 1))) continue; // longer than any local part
    while (start < at && text.charCodeAt(start) === 46) start++;
    if (start === at) continue;
    // Domain: labels of letters, digits and hyphens separated by dots, ending in an alphabetic TLD.
    let end = at + 1;
    while (end < text.length && end - at <= DOMAIN_MAX && isDomainChar(text.charCodeAt(end))) end++;
    while (end > at + 1 && !isAsciiAlnum(text.charCodeAt(end - 1))) end--;
    const domain = text.slice(at + 1, end);
    if (!/^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.){1,8}[A-Za-z]{2,24}$/.test(domain)) continue;
    out.push(candidate('email', start, end));
    lastEnd = end;
    searchFrom = end;
  }
  return out;
};
