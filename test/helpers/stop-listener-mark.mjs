// Test-only preload, loaded right after cli/stop-signals.mjs (preloads run in order): once this
// line is on stderr the worker listens for SIGTERM. Node resets every signal to its default while
// it boots, before any preload runs, so a SIGTERM in those first milliseconds ends any node
// process by the signal (systemd counts that as a clean stop); from this line on it must exit 0.
process.stderr.write('lianjian-test: stop listener installed\n');
