import { detect } from '../src/guard/index.ts';
for (const t of process.argv.slice(2)) console.log(JSON.stringify(t), JSON.stringify(detect(t)));
