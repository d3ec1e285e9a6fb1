import { execFileSync } from 'node:child_process';

/** Makes sure public/demo holds the migrated, demo-loaded PGlite data dir the db tests start from. */
export default function setup(): void {
  execFileSync('npx', ['tsx', 'scripts/prepare-demo.ts'], { stdio: 'inherit' });
}
