// `npm run bench`: runs every benchmark scenario against the fake vendor servers and writes
// bench/results/<scenario>.json, bench/results/README.md and bench/results/chart.svg.
//
//   BENCH_QUICK=1          a fast subset (fewer sizes and repetitions) written to bench/tmp/quick/
//   BENCH_ONLY=a,b         only these scenarios (return-all, fan-out, rate-limit, tokens, usage)
//   BENCH_NODE=/path/node  run fakes and workers with this Node (default: the provisioned Node 24)
//   BENCH_NO_BUILD=1       use dist/ as it is (default: tsc + gulp build:assets first)
//   BENCH_OUT=dir          where results go
import { execFileSync, execSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { measure, runtime, startFake, stopAll } from './lib/procs.mjs';
import { renderReport } from './lib/report.mjs';
import { machine, rounded } from './lib/stats.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '..');
const SCENARIOS = ['return-all', 'fan-out', 'rate-limit', 'tokens', 'usage'];

const quick = process.env.BENCH_QUICK === '1';
const only = process.env.BENCH_ONLY ? process.env.BENCH_ONLY.split(',').map((s) => s.trim()) : SCENARIOS;
const outDir = path.resolve(process.env.BENCH_OUT ?? (quick ? path.join(HERE, 'tmp', 'quick') : path.join(HERE, 'results')));
const started = Date.now();
const stamp = () => `${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s`;
const log = (message) => process.stderr.write(`[bench ${stamp()}] ${message}\n`);

async function main() {
	const unknown = only.filter((name) => !SCENARIOS.includes(name));
	if (unknown.length) throw new Error(`Unknown scenario(s) ${unknown.join(', ')}; choose from ${SCENARIOS.join(', ')}`);

	// Everything (fakes, our node, the HTTP Request node, the floor) runs under one Node: the one
	// n8n 2.41.1 is provisioned with, unless BENCH_NODE says otherwise.
	const { ensureRuntime } = await import(path.join(ROOT, 'scripts/lib/runtime.mjs'));
	const provisioned = ensureRuntime();
	runtime.node = process.env.BENCH_NODE ?? provisioned.node;
	const nodeVersion = execFileSync(runtime.node, ['--version'], { encoding: 'utf8' }).trim();

	if (process.env.BENCH_NO_BUILD !== '1') {
		log('building dist/ (tsc + gulp build:assets)');
		execSync('npx tsc -p tsconfig.json && npx gulp build:assets', { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
	}
	fs.mkdirSync(outDir, { recursive: true });
	const host = machine({ root: ROOT, runtimeModules: path.join(provisioned.n8nDir, 'node_modules'), nodeVersion });
	log(`${host.cores} × ${host.cpuModel}, ${host.memoryGB} GB, Node ${nodeVersion}${quick ? ', quick mode' : ''}; results → ${path.relative(ROOT, outDir)}`);

	const ctx = { quick, log, measure, startFake, heapMB: runtime.heapMB };
	for (const name of only) {
		const scenario = await import(path.join(HERE, 'scenarios', `${name}.mjs`));
		const t0 = Date.now();
		log(`scenario ${name} …`);
		const loadBefore = os.loadavg()[0];
		const result = await scenario.run(ctx);
		const durationS = (Date.now() - t0) / 1000;
		const loadAverage = `${loadBefore.toFixed(1)} → ${os.loadavg()[0].toFixed(1)}`;
		const document = rounded({
			scenario: name,
			title: scenario.title,
			quick,
			machine: host,
			method: {
				processes:
					'Each sample runs in its own fresh Node process (--expose-gc, --max-old-space-size=' +
					`${runtime.heapMB}); the fake vendor server runs in a separate process, so its CPU and memory never count.`,
				warmUp:
					'Each worker warms up first (not measured) — Return All: two pages, then 3 full runs at 1k and 1 at 10k (a running n8n has compiled these paths), then a one-record run — and a forced GC sets the baseline.',
				memory:
					'peakRss = the worker process maxRSS (getrusage); peakHeap = V8 used heap sampled every 5 ms and at the end; ' +
					'retainedHeap = used heap after a full GC with the output still referenced, minus the baseline.',
			},
			durationS,
			loadAverage,
			...result,
		});
		fs.writeFileSync(path.join(outDir, `${name}.json`), `${JSON.stringify(document, null, '\t')}\n`);
		log(`scenario ${name} done in ${durationS.toFixed(0)} s`);
	}
	const run = { totalS: (Date.now() - started) / 1000, ran: only, quick, finished: new Date().toISOString() };
	fs.writeFileSync(path.join(outDir, 'run.json'), `${JSON.stringify(rounded(run), null, '\t')}\n`);
	renderReport(outDir);
	log(`done in ${((Date.now() - started) / 1000).toFixed(0)} s; see ${path.relative(ROOT, path.join(outDir, 'README.md'))}`);
}

main()
	.catch((error) => {
		process.stderr.write(`${error.stack ?? error}\n`);
		process.exitCode = 1;
	})
	.finally(stopAll);
