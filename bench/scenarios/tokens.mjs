// Scenario 4: token requests for 10,000 items over 3 executions of one stored credential.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const c = require('../lib/contenders.cjs');

export const title = 'Tokens';

export async function run(ctx) {
	const items = ctx.quick ? 3000 : 10_000;
	const executions = 3;
	const cases = [];
	for (const vendor of ['pax8', 'newstore']) {
		const records = 1000;
		const fake = await ctx.startFake(vendor, c.fakeOptions(vendor, records));
		try {
			const kind = vendor === 'pax8' ? 'pax8.subscriptions' : 'newstore.profiles';
			const pool = await fake.call('ids', { kind, limit: records });
			const ids = Array.from({ length: items }, (_, i) => pool[i % pool.length]);
			const sample = await ctx.measure({ kind: 'tokens', vendor, info: fake.info, ids, executions }, [fake], { timeoutMs: 900_000 });
			cases.push({
				vendor,
				items,
				executions,
				wallMs: sample.wallMs,
				tokenRequests: sample.fake.tokenRequests,
				apiRequests: sample.fake.apiRequests,
				preAuthCalls: sample.preAuthCalls,
				failed: sample.failed,
				perExecution: sample.perExecution,
				sample,
			});
			ctx.log(`tokens ${vendor}: ${sample.fake.tokenRequests} token request(s) for ${items} items over ${executions} executions (${sample.fake.apiRequests} API calls, ${sample.wallMs.toFixed(0)} ms)`);
		} finally {
			await fake.close();
		}
	}
	return {
		setup: `${items.toLocaleString('en-US')} items ("Get" by ID, one API call each) split over ${executions} executions of the node with one stored credential (the harness keeps the fetched token in the credential store, as n8n's database does); Concurrency 5, Rate Limit 0. Token lifetime: Pax8 fake 24 h, NewStore fake 1 h.`,
		cases,
		goals: cases.map((k) => ({
			goal: `${k.vendor === 'pax8' ? 'Pax8' : 'NewStore'}: 1 token request per credential while the token is valid`,
			met: k.tokenRequests === 1 && k.failed === 0,
			factor: k.tokenRequests,
		})),
	};
}
