/**
 * The wall display left running: Chromium on /screen with the rotation and the data refresh
 * shortened to 1 s (20× and 30× the defaults, so a minute here is ~20–30 minutes of real use),
 * sampling the JS heap after a forced GC (CDP) and the DOM counters every few seconds. Prints the
 * least-squares slope of the heap over the run after a warm-up: a leak shows as a steady positive
 * slope; the bar is an hour (`tsx bench/screen-memory.ts --seconds 3600`).
 */
import { addWebUser, launchBrowser, signIn } from '../test/helpers/browser';
import { startWebServer } from '../test/helpers/web';
import { seedReportsWorld } from '../test/integration/reports-scenario';

function slope(points: { t: number; v: number }[]): number {
  const n = points.length;
  const mt = points.reduce((a, p) => a + p.t, 0) / n;
  const mv = points.reduce((a, p) => a + p.v, 0) / n;
  const num = points.reduce((a, p) => a + (p.t - mt) * (p.v - mv), 0);
  const den = points.reduce((a, p) => a + (p.t - mt) ** 2, 0);
  return den === 0 ? 0 : num / den;
}

export async function runScreenMemoryBench(o: {
  quick: boolean;
  seconds?: number;
}): Promise<Record<string, number>> {
  const seconds = o.seconds ?? (o.quick ? 45 : 60);
  const web = await startWebServer();
  const world = await seedReportsWorld(web.db.url);
  const browser = await launchBrowser();
  try {
    await addWebUser(web, { email: 'wall@example.gov.cn', name: 'wall', role: 'admin', regionCode: null });
    await web.db.pool.query(
      `insert into adoption_targets (region_code, metric, value, target_date, set_by)
       values ($1, 'online_share', 0.9, '2027-12-31', 'bench'), ($2, 'joint_cases', 500, '2027-12-31', 'bench')`,
      [world.province, world.city],
    );
    const page = await signIn(browser, web, 'wall@example.gov.cn', {
      viewport: { width: 1920, height: 1080 },
    });
    await page.goto(`${web.url}/screen?rotate=1&refresh=1`);
    await page.getByTestId('screen').waitFor();
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('HeapProfiler.enable');
    const samples: { t: number; heap: number; nodes: number; listeners: number }[] = [];
    const start = Date.now();
    const warmupMs = Math.min(15_000, (seconds * 1000) / 4);
    while (Date.now() - start < seconds * 1000) {
      await page.waitForTimeout(3_000);
      await cdp.send('HeapProfiler.collectGarbage');
      const heap = (await cdp.send('Runtime.getHeapUsage')).usedSize;
      const dom = await cdp.send('Memory.getDOMCounters');
      samples.push({
        t: (Date.now() - start) / 60_000,
        heap,
        nodes: dom.nodes,
        listeners: dom.jsEventListeners,
      });
    }
    const turns = Number(await page.getByTestId('screen').getAttribute('data-turns'));
    const steady = samples.filter((s) => s.t * 60_000 >= warmupMs);
    const first = steady[0] ?? samples[0]!;
    const last = samples[samples.length - 1]!;
    return {
      screen_memory_seconds: seconds,
      screen_rotations: turns,
      screen_heap_after_warmup_mb: +(first.heap / 2 ** 20).toFixed(2),
      screen_heap_end_mb: +(last.heap / 2 ** 20).toFixed(2),
      screen_heap_max_mb: +(Math.max(...samples.map((s) => s.heap)) / 2 ** 20).toFixed(2),
      screen_heap_slope_kb_per_min: +(slope(steady.map((s) => ({ t: s.t, v: s.heap }))) / 1024).toFixed(1),
      screen_heap_slope_second_half_kb_per_min: +(
        slope(steady.slice(Math.floor(steady.length / 2)).map((s) => ({ t: s.t, v: s.heap }))) / 1024
      ).toFixed(1),
      screen_listeners_after_warmup: first.listeners,
      screen_dom_nodes_after_warmup: first.nodes,
      screen_dom_nodes_end: last.nodes,
      screen_listeners_end: last.listeners,
    };
  } finally {
    await browser.close();
    await web.stop();
    await world.close();
  }
}

if (process.argv[1]?.endsWith('screen-memory.ts')) {
  const i = process.argv.indexOf('--seconds');
  const seconds = i > 0 ? Number(process.argv[i + 1]) : undefined;
  runScreenMemoryBench({ quick: false, seconds })
    .then((r) => {
      process.stdout.write(`${JSON.stringify(r, null, 2)}\n`);
      process.exit(0);
    })
    .catch((e: unknown) => {
      process.stderr.write(`${String(e)}\n`);
      process.exit(1);
    });
}
