// Run the compiled, unbundled CLI (dist/cli/main.js), for tests that look at which modules it loads.
const { main } = await import(new URL('../../dist/cli/main.js', import.meta.url).href);
process.exitCode = await main(process.argv.slice(2));
