// Scenario 5: a CloudBlue Connect usage file from N records — the workbook alone (prepare +
// build the .xlsx) and the whole "Usage File → Create From Records" operation through n8n.
import { createRequire } from 'node:module';

import { summary } from '../lib/stats.mjs';

const require = createRequire(import.meta.url);
const c = require('../lib/contenders.cjs');

export const title = 'Usage workbook';

export async function run(ctx) {
	const sizes = ctx.quick ? [1000, 10000] : [1000, 10000, 100000];
	const fake = await ctx.startFake('connect', c.fakeOptions('connect', 40));
	const cases = [];
	try {
		const target = await fake.call('ids', { kind: 'connect.usage' });
		for (const mode of ['build', 'node']) {
			for (const size of sizes) {
				const reps = ctx.quick ? 1 : mode === 'build' ? 3 : size >= 100000 ? 2 : 3;
				const samples = [];
				for (let rep = 0; rep < reps; rep++) {
					const sample = await ctx.measure({ kind: 'usage', mode, size, info: fake.info, target }, [fake], { timeoutMs: 900_000 });
					samples.push({ rep, ...sample });
					ctx.log(`usage ${mode} ${size} rep ${rep + 1}/${reps}: ${sample.wallMs.toFixed(0)} ms, peak RSS ${(sample.memory.peakRssBytes / 1e6).toFixed(0)} MB${sample.workbookBytes ? `, ${(sample.workbookBytes / 1e6).toFixed(1)} MB workbook` : ''}${sample.fileStatus ? `, file ${sample.fileStatus}, ${sample.uploaded} uploaded` : ''}`);
				}
				const pick = (fn) => summary(samples.map(fn));
				cases.push({
					mode,
					records: size,
					repetitions: reps,
					wallMs: pick((s) => s.wallMs),
					peakRssMB: pick((s) => s.memory.peakRssBytes / 1e6),
					rssGrowthMB: pick((s) => (s.memory.peakRssBytes - s.memory.baselineRssBytes) / 1e6),
					peakHeapMB: pick((s) => s.memory.peakHeapBytes / 1e6),
					heapGrowthMB: pick((s) => (s.memory.peakHeapBytes - s.memory.baselineHeapBytes) / 1e6),
					workbookMB: mode === 'build' ? samples[0].workbookBytes / 1e6 : undefined,
					uploaded: mode === 'node' ? samples[0].uploaded : undefined,
					fileStatus: mode === 'node' ? samples[0].fileStatus : undefined,
					requests: mode === 'node' ? pick((s) => s.fake.requests) : undefined,
					samples,
				});
			}
		}
	} finally {
		await fake.close();
	}
	return {
		setup:
			'build: prepareUsageRecords + buildUsageWorkbook from dist/ on N plain records (input objects made before the measurement; schema QT, SDK layout). ' +
			'node: the CloudBlue Connect node\'s "Usage File → Create From Records" on N input items in the engine: check every record, create the file, build the workbook, upload it (multipart) and wait until the fake has processed it (status ready). The fake parses the workbook in its own process.',
		cases,
		goals: [],
	};
}
