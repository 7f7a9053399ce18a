// Renders bench/results/README.md (tables, goals, notes) and chart.svg from the scenario JSON
// files in a results directory. `node bench/lib/report.mjs [dir]` re-renders without measuring.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const NAMES = { ours: 'this package', floor: 'keep-alive loop (floor)', n8nLoop: 'n8n helper loop', httpNode: 'HTTP Request node' };
const COLORS = { ours: '#d9480f', floor: '#2b8a3e', n8nLoop: '#868e96', httpNode: '#1c7ed6' };
const VENDORS = { pax8: 'Pax8 subscriptions', connect: 'Connect requests', newstore: 'NewStore customer profiles' };

const n = (value, digits = 0) => (value === undefined || value === null || Number.isNaN(value) ? '–' : Number(value).toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits }));
const ms = (s) => (s ? `${n(s.median)} (${n(s.min)}–${n(s.max)})` : '–');
const mb = (s) => (s ? n(s.median) : '–');
const x = (v) => (v === undefined ? '–' : `${n(v, 2)}×`);
const mark = (met) => (met ? '✅ met' : '❌ missed');

function read(dir, name) {
	const file = path.join(dir, `${name}.json`);
	return fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : undefined;
}

function machineLine(m) {
	return `${m.cores} × ${m.cpuModel}, ${m.memoryGB} GB RAM, ${m.os}; Node ${m.node} for fakes and all contenders; n8n-core ${m.n8nCore}, n8n-workflow ${m.n8nWorkflow}, n8n-nodes-base ${m.n8nNodesBase}; measured ${m.date.slice(0, 16).replace('T', ' ')} UTC`;
}

function goalRows(goals) {
	// Three decimals: a factor just above a limit must not print as the limit itself.
	return goals.map((g) => `| ${g.goal} | ${typeof g.factor === 'number' && !Number.isInteger(g.factor) ? `${n(g.factor, 3)}×` : n(g.factor)} | ${mark(g.met)} |`);
}

function returnAllSection(r) {
	const out = [`## 1. Return All`, '', r.contenders ? ['ours', 'floor', 'n8nLoop', 'httpNode'].filter((name) => r.contenders[name]).map((name) => `- **${NAMES[name]}**: ${r.contenders[name]}`).join('\n') : '', ''];
	out.push(
		'Wall time in ms, median (min–max) of the repetitions; × floor = median ÷ the floor\'s median. CPU ms = CPU time the contender\'s process spent (user + system; median), fake CPU ms = what the fake server spent meanwhile in its own process: both move less with other load on the machine than wall time. Memory in MB (medians): peak RSS of the worker process; RSS growth = peak − RSS before the measured run; heap growth = peak V8 heap − heap before; retained = heap still in use after a full GC while the output is referenced.',
		'',
		'| Listing | Records | Contender | Time ms | × floor | CPU ms | Fake CPU ms | Requests | Peak RSS | RSS growth | Heap growth | Retained |',
		'|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
	);
	for (const k of r.cases) {
		if (k.skipped) {
			out.push(`| ${k.what} | ${n(k.records)} | — | not measured: ${k.skipped} | | | | | | | | |`);
			continue;
		}
		for (const name of ['ours', 'floor', 'n8nLoop', 'httpNode']) {
			const s = k.stats[name];
			if (!s) continue;
			const ratio = s.wallMs.median / k.stats.floor.wallMs.median;
			const label = name === 'ours' ? `**${NAMES[name]}**` : NAMES[name];
			out.push(`| ${k.what} | ${n(k.records)} | ${label} | ${ms(s.wallMs)} | ${x(ratio)} | ${mb(s.cpuMs)} | ${mb(s.fakeCpuMs)} | ${n(s.requests.median)} | ${mb(s.peakRssMB)} | ${mb(s.rssGrowthMB)} | ${mb(s.heapGrowthMB)} | ${mb(s.retainedHeapMB)} |`);
		}
	}
	out.push('', `Repetitions: ${[...new Set(r.cases.filter((k) => k.repetitions && !k.latencyMs).map((k) => `${n(k.records)} → ${k.repetitions}`))].join(', ')}, contenders alternating (each goes first in turn). Scenario time ${n(r.durationS)} s.`, '');
	return out;
}

function fanOutSection(r) {
	const out = [`## 2. Fan-out`, '', r.setup, '', '| Concurrency | Bound ms (N × latency ÷ c) | This package ms | × bound | n8n helper loop ms | × bound | Plain client ms | × bound | Plain client, new connection per request ms | × bound | Requests | Order / pairedItem |', '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|'];
	for (const k of r.cases) {
		const floor = k.floor;
		const loop = k.n8nLoop;
		const fresh = k.floorNewConnection;
		out.push(`| ${k.concurrency} | ${n(k.boundMs)} | ${ms(k.wallMs)} | ${x(k.ratioToBound)} | ${loop ? ms(loop.wallMs) : '–'} | ${loop ? x(loop.ratioToBound) : '–'} | ${floor ? ms(floor.wallMs) : '–'} | ${floor ? x(floor.ratioToBound) : '–'} | ${fresh ? ms(fresh.wallMs) : '–'} | ${fresh ? x(fresh.ratioToBound) : '–'} | ${n(k.requests.median)} | ${k.orderOk && k.pairedItemOk ? 'intact' : 'BROKEN'} |`);
	}
	out.push('', `References, not goals. n8n helper loop: ${r.n8nLoopSetup ?? '–'} Plain client: ${r.floorSetup ?? ''} Scenario time ${n(r.durationS)} s.`, '');
	return out;
}

function rateLimitSection(r) {
	const out = [`## 3. Rate limits`, '', '| Case | Items | Time s | Succeeded | Failed | 429s | API calls | Throughput /s | Allowed /s | % of allowed |', '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|'];
	for (const k of r.cases) {
		out.push(`| ${k.name} | ${n(k.items)} | ${n(k.wallMs / 1000, 1)} | ${n(k.succeeded)} | ${n(k.failed)} | ${n(k.rateLimited)} | ${n(k.requests)} | ${n(k.throughputPerSecond, 1)} | ${n(k.allowedPerSecond, 1)} | ${n(k.throughputRatio * 100)} % |`);
	}
	out.push('', ...r.cases.map((k) => `- **${k.name}**: ${k.setup}`), '', `Throughput = succeeded items ÷ wall time of the whole run (token request included). Scenario time ${n(r.durationS)} s.`, '');
	return out;
}

function tokensSection(r) {
	const out = [`## 4. Tokens`, '', r.setup, '', '| Vendor | Items | Executions | Token requests | API calls | Failed | Time s | Per execution (items, ms) |', '|---|---:|---:|---:|---:|---:|---:|---|'];
	for (const k of r.cases) {
		out.push(`| ${k.vendor === 'pax8' ? 'Pax8' : 'NewStore'} | ${n(k.items)} | ${k.executions} | **${k.tokenRequests}** | ${n(k.apiRequests)} | ${k.failed} | ${n(k.wallMs / 1000, 1)} | ${k.perExecution.map((e) => `${n(e.items)} in ${n(e.ms)}`).join('; ')} |`);
	}
	out.push('', `Scenario time ${n(r.durationS)} s.`, '');
	return out;
}

function usageSection(r) {
	const out = [`## 5. Usage workbook`, '', r.setup, '', '| Mode | Records | Time ms | Peak RSS MB | RSS growth MB | Heap growth MB | Workbook MB | Result |', '|---|---:|---:|---:|---:|---:|---:|---|'];
	for (const k of r.cases) {
		const result = k.mode === 'node' ? `file ${k.fileStatus}, ${n(k.uploaded)} records, ${n(k.requests?.median)} requests` : '';
		out.push(`| ${k.mode === 'build' ? 'workbook only' : 'Create From Records'} | ${n(k.records)} | ${ms(k.wallMs)} | ${mb(k.peakRssMB)} | ${mb(k.rssGrowthMB)} | ${mb(k.heapGrowthMB)} | ${k.workbookMB ? n(k.workbookMB, 1) : '–'} | ${result} |`);
	}
	out.push('', `Scenario time ${n(r.durationS)} s.`, '');
	return out;
}

/** Time vs records per contender, one log–log panel per vendor. */
export function chart(returnAll) {
	const cases = returnAll.cases.filter((k) => k.stats && !k.latencyMs);
	const vendors = ['pax8', 'connect', 'newstore'].filter((v) => cases.some((k) => k.vendor === v));
	const W = 300;
	const H = 260;
	const pad = { l: 56, r: 14, t: 34, b: 44 };
	const width = W * vendors.length;
	const height = H + 46;
	const parts = [
		`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, sans-serif" font-size="11">`,
		`<rect width="${width}" height="${height}" fill="#fff"/>`,
	];
	vendors.forEach((vendor, i) => {
		const list = cases.filter((k) => k.vendor === vendor).sort((a, b) => a.records - b.records);
		const ox = i * W;
		const xs = list.map((k) => k.records);
		const ys = list.flatMap((k) => Object.values(k.stats).map((s) => s.wallMs.median));
		const [x0, x1] = [Math.log10(Math.min(...xs)), Math.log10(Math.max(...xs))];
		const [y0, y1] = [Math.floor(Math.log10(Math.min(...ys))), Math.ceil(Math.log10(Math.max(...ys)))];
		const px = (v) => ox + pad.l + ((Math.log10(v) - x0) / Math.max(x1 - x0, 1e-9)) * (W - pad.l - pad.r);
		const py = (v) => pad.t + (1 - (Math.log10(v) - y0) / Math.max(y1 - y0, 1e-9)) * (H - pad.t - pad.b);
		parts.push(`<text x="${ox + W / 2}" y="18" text-anchor="middle" font-size="13" font-weight="600">${VENDORS[vendor]}</text>`);
		for (let e = y0; e <= y1; e++) {
			const v = 10 ** e;
			parts.push(`<line x1="${ox + pad.l}" x2="${ox + W - pad.r}" y1="${py(v)}" y2="${py(v)}" stroke="#e9ecef"/>`);
			parts.push(`<text x="${ox + pad.l - 6}" y="${py(v) + 4}" text-anchor="end" fill="#495057">${v >= 1000 ? `${v / 1000} s` : `${v} ms`}</text>`);
		}
		for (const v of xs) {
			parts.push(`<line x1="${px(v)}" x2="${px(v)}" y1="${pad.t}" y2="${H - pad.b}" stroke="#f1f3f5"/>`);
			parts.push(`<text x="${px(v)}" y="${H - pad.b + 16}" text-anchor="middle" fill="#495057">${v >= 1000 ? `${v / 1000}k` : v}</text>`);
		}
		parts.push(`<text x="${ox + (pad.l + W - pad.r) / 2}" y="${H - 8}" text-anchor="middle" fill="#495057">records</text>`);
		parts.push(`<rect x="${ox + pad.l}" y="${pad.t}" width="${W - pad.l - pad.r}" height="${H - pad.t - pad.b}" fill="none" stroke="#adb5bd"/>`);
		for (const name of ['floor', 'n8nLoop', 'httpNode', 'ours'].filter((contender) => list.every((k) => k.stats[contender]))) {
			const points = list.map((k) => [px(k.records), py(k.stats[name].wallMs.median)]);
			parts.push(`<polyline points="${points.map((p) => p.map((c) => c.toFixed(1)).join(',')).join(' ')}" fill="none" stroke="${COLORS[name]}" stroke-width="${name === 'ours' ? 2.5 : 1.8}"${name === 'floor' ? ' stroke-dasharray="5 3"' : name === 'n8nLoop' ? ' stroke-dasharray="2 2"' : ''}/>`);
			for (const [cx, cy] of points) parts.push(`<circle cx="${cx.toFixed(1)}" cy="${cy.toFixed(1)}" r="3" fill="${COLORS[name]}"/>`);
		}
	});
	const legend = ['ours', 'floor', 'n8nLoop', 'httpNode'].filter((name) => cases.every((k) => k.stats[name]));
	legend.forEach((name, i) => {
		const lx = 20 + i * Math.floor(width / legend.length);
		parts.push(`<line x1="${lx}" x2="${lx + 24}" y1="${H + 24}" y2="${H + 24}" stroke="${COLORS[name]}" stroke-width="2.5"${name === 'floor' ? ' stroke-dasharray="5 3"' : name === 'n8nLoop' ? ' stroke-dasharray="2 2"' : ''}/>`);
		parts.push(`<text x="${lx + 30}" y="${H + 28}">${NAMES[name]}</text>`);
	});
	parts.push(`<text x="${width - 8}" y="${H + 40}" text-anchor="end" fill="#868e96">Return All, wall time (median) vs records, log–log</text>`, '</svg>');
	return `${parts.join('\n')}\n`;
}

export function renderReport(dir) {
	const { totalS, ran = [] } = read(dir, 'run') ?? {};
	const results = {
		'return-all': read(dir, 'return-all'),
		'fan-out': read(dir, 'fan-out'),
		'rate-limit': read(dir, 'rate-limit'),
		tokens: read(dir, 'tokens'),
		usage: read(dir, 'usage'),
	};
	const present = Object.values(results).filter(Boolean);
	if (!present.length) return;
	const machine = present[0].machine;
	const notesFile = path.join(dir, 'NOTES.md');
	const lines = [
		'# Benchmarks',
		'',
		'`npm run bench` (12–15 minutes on this machine; `BENCH_QUICK=1` for a fast subset of about 4 minutes) runs every scenario on this machine against the fake vendor servers of `test/fakes/` and writes these files. Never a timed unit test: benchmarks only.',
		'',
		`**Machine**: ${machineLine(machine)}.`,
		'',
		`**Method**: ${present[0].method.processes} ${present[0].method.warmUp} ${present[0].method.memory}${present.some((r) => r.quick) ? ' **Quick mode** (fewer sizes and repetitions).' : ''}`,
		'',
		`Load average of the machine during the run: ${present.map((r) => `${r.scenario} ${r.loadAverage ?? '–'}`).join(', ')} (other work on the machine shows up as spread).`,
		'',
		'![Return All: time vs records](chart.svg)',
		'',
		'## Goals',
		'',
		'| Goal | Factor / value | |',
		'|---|---:|---|',
		...present.flatMap((r) => goalRows(r.goals ?? [])),
		'',
	];
	if (results['return-all']) lines.push(...returnAllSection(results['return-all']));
	if (results['fan-out']) lines.push(...fanOutSection(results['fan-out']));
	if (results['rate-limit']) lines.push(...rateLimitSection(results['rate-limit']));
	if (results.tokens) lines.push(...tokensSection(results.tokens));
	if (results.usage) lines.push(...usageSection(results.usage));
	if (fs.existsSync(notesFile)) lines.push(fs.readFileSync(notesFile, 'utf8').trim(), '');
	const total = present.reduce((sum, r) => sum + (r.durationS ?? 0), 0);
	lines.push(`Raw samples, medians and spreads: \`${present.map((r) => `${r.scenario}.json`).join('`, `')}\` in this folder. Sum of scenario times: ${n(total)} s${totalS ? ` (last run of \`${ran.join(', ')}\`: ${n(totalS)} s including the build)` : ''}.`, '');
	fs.writeFileSync(path.join(dir, 'README.md'), lines.join('\n'));
	if (results['return-all']) fs.writeFileSync(path.join(dir, 'chart.svg'), chart(results['return-all']));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
	renderReport(path.resolve(process.argv[2] ?? path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'results')));
}
