/**
 * `npm start`: the dev server on the embedded database with the demo district (prepared by the
 * npm script before this). It opens a browser only where there is a display to open one on, and
 * says how to reach the app from a phone. `npm start -- --host` listens on every network address.
 */
import { createServer } from 'vite';

const host = process.argv.includes('--host');
const display = process.platform !== 'linux' || Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);
const server = await createServer({ server: { open: display, host: host ? true : undefined } });
await server.listen();
server.printUrls();
if (!display) process.stdout.write('  No display here: open the address above in a browser.\n');
if (!host) process.stdout.write('  From a phone on the same network: npm start -- --host (then open the Network address).\n');
