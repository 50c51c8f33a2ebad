/** Digest of the web app's sources (web/**, src/api/contract.ts, package-lock.json). */
export function webSourceDigest(): string;
/** Runs `vite build` (web/ → dist/web) unless the stamp says it is current; true when it built. Throws on failure. */
export function buildWebIfChanged(options?: { say?: (line: string) => void }): boolean;
