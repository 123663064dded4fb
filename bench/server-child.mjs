// The server under benchmark, in its own process (so that the load generator does not share its event
// loop). argv: kind (hello | chujing), workspace folder, decision log on|off. Reports its URL, a gateway
// token and, on request, its CPU time over IPC.
import Fastify from 'fastify';
import { createServer } from '../dist/server/app.js';
import { createToken } from '../dist/server/tokens.js';

const [kind, dir, logSetting] = process.argv.slice(2);
let url;
let token = null;
let adminToken = null;
let close;
if (kind === 'hello') {
  // The same framework with nothing but one JSON route: the ceiling for any route on this machine.
  const app = Fastify({ logger: false });
  app.get('/hello', async () => ({ hello: 'world' }));
  await app.listen({ host: '127.0.0.1', port: 0 });
  url = `http://127.0.0.1:${app.server.address().port}`;
  close = () => app.close();
} else {
  const server = await createServer({ workspace: dir, env: process.env, watch: false, logLevel: 'silent', port: 0, decisionLog: logSetting !== 'off' });
  token = (await createToken(server.core.db, `bench-${process.pid}`, 'gateway')).token;
  // The full answer is an officer's view; a gateway token always gets the short one (least privilege).
  adminToken = (await createToken(server.core.db, `bench-admin-${process.pid}`, 'admin')).token;
  await server.core.auth.refresh();
  url = await server.listen();
  close = () => server.close();
}
process.on('message', async (m) => {
  if (m === 'cpu') process.send({ cpu: process.cpuUsage() });
  if (m === 'stop') {
    await close();
    process.exit(0);
  }
});
process.send({ url, token, adminToken });
