/** Path of the built scan command (dist/scan/scan-cli.js), which `npm run --silent scan` runs with plain Node. */
export const SCAN_BUNDLE: string;
/** Bundles src/guard/scan-cli.ts with esbuild unless the stamp says it is current; true when it built. Throws on failure. */
export function buildScanIfChanged(options?: { say?: (line: string) => void }): Promise<boolean>;
