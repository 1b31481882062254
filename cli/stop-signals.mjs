// Preloaded by `npm run cli` (`node --import ./cli/stop-signals.mjs --import tsx cli/main.ts …` when
// it runs the sources, cli/entry-args.mjs), before the TypeScript loader, which alone takes from a few hundred
// ms to over a second to start: a SIGTERM or SIGINT in that window would otherwise kill `work`
// with 143/130 instead of a clean stop with 0. Plain JavaScript so it needs no loader. Until `work`
// has started anything (cli/signals.ts `stopRequested` claims the signal), a stop is simply exit 0:
// there is nothing to close yet, and loading the modules can take many seconds on a busy machine.
// Other commands keep the default (a signal ends them at once).
if (process.argv[2] === 'work') {
  const stop = { signal: null, waiters: [], claimed: false };
  globalThis.__lianjianStop = stop;
  for (const name of ['SIGTERM', 'SIGINT']) {
    process.on(name, () => {
      if (!stop.claimed) process.exit(0);
      if (stop.signal) return;
      stop.signal = name;
      for (const w of stop.waiters.splice(0)) w(name);
    });
  }
}
