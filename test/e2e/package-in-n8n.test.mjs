// The built package installed into a real n8n (regular mode, SQLite), as a user would install it,
// against the fake vendor APIs: n8n loads every node and credential package.json lists, each
// credential's Test works, and every example workflow runs and produces the right output.
// One n8n is started for the whole file.
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, test } from 'node:test';

import { demoCredentials } from '../../scripts/lib/fakes.mjs';
import {
	fetchTypes,
	importWorkflows,
	readExamples,
	runWorkflow,
} from '../../scripts/lib/workflows.mjs';
import {
	cleanupTempDirs,
	freePort,
	packageManifest,
	runExample,
	startRegularStack,
	violations,
} from './lib/harness.mjs';
import { credentialSpec, exampleSpec, triggerCheck } from './lib/vendors.mjs';

const manifest = packageManifest();
let stack;

before(async () => {
	stack = await startRegularStack();
});

after(async () => {
	await stack?.stop();
	cleanupTempDirs();
});

afterEach(() => {
	if (stack)
		assert.deepEqual(
			violations(stack.fakes),
			[],
			'every request n8n sent matches the vendor API specification',
		);
});

describe('n8n loads the package', () => {
	test('every node of package.json, with its Tool variant when usable as a tool', async () => {
		const types = await fetchTypes(stack.client, 'nodes');
		const byName = new Map(types.map((t) => [t.name, t]));
		assert.ok(manifest.nodes.length > 0);
		for (const node of manifest.nodes) {
			assert.ok(!node.error, node.error);
			const loaded = byName.get(node.type);
			assert.ok(loaded, `n8n did not load ${node.type} (${node.file})`);
			assert.equal(loaded.displayName, node.displayName);
			assert.deepEqual(loaded.version, node.version);
			assert.equal(
				loaded.communityNodePackageVersion,
				manifest.version,
				'loaded from the installed package',
			);
			assert.deepEqual(
				(loaded.credentials ?? []).map((c) => c.name),
				node.credentials,
			);
			const tool = byName.get(`${node.type}Tool`);
			if (node.usableAsTool && !node.trigger) {
				assert.ok(tool, `n8n did not create the AI tool variant ${node.type}Tool`);
				assert.deepEqual(tool.outputs, ['ai_tool']);
				assert.deepEqual(
					(tool.credentials ?? []).map((c) => c.name),
					node.credentials,
				);
			} else {
				assert.equal(tool, undefined, `${node.type} is not usable as a tool`);
			}
		}
		const ours = types
			.filter((t) => t.name.startsWith(`${manifest.name}.`))
			.map((t) => t.name)
			.sort();
		const expected = manifest.nodes
			.flatMap((n) => (n.usableAsTool && !n.trigger ? [n.type, `${n.type}Tool`] : [n.type]))
			.sort();
		assert.deepEqual(ours, expected, 'no node types beyond the listed ones');
	});

	test('the icons of every node and credential are served', async () => {
		const nodes = (await fetchTypes(stack.client, 'nodes')).filter((t) =>
			t.name.startsWith(`${manifest.name}.`),
		);
		const credentials = (await fetchTypes(stack.client, 'credentials')).filter((t) =>
			manifest.credentials.some((c) => c.name === t.name),
		);
		const urls = [...nodes, ...credentials].flatMap((t) =>
			typeof t.iconUrl === 'string' ? [t.iconUrl] : Object.values(t.iconUrl ?? {}),
		);
		assert.ok(
			urls.length >= nodes.length + credentials.length,
			`every type has an icon: ${JSON.stringify(urls)}`,
		);
		for (const url of new Set(urls)) {
			const res = await fetch(`${stack.n8n.url}/${url}`, {
				headers: { cookie: stack.client.cookie },
			});
			const body = await res.text();
			assert.equal(res.status, 200, url);
			assert.match(body, /<svg[\s>]/, `${url} is an SVG`);
		}
	});

	test('every credential of package.json, and every credential a node needs', async () => {
		const types = await fetchTypes(stack.client, 'credentials');
		const names = new Set(types.map((t) => t.name));
		for (const credential of manifest.credentials) {
			assert.ok(!credential.error, credential.error);
			assert.ok(
				names.has(credential.name),
				`n8n did not load credential ${credential.name} (${credential.file})`,
			);
			const loaded = types.find((t) => t.name === credential.name);
			assert.equal(loaded.displayName, credential.displayName);
		}
		for (const node of manifest.nodes) {
			for (const name of node.credentials)
				assert.ok(names.has(name), `${node.type} needs credential ${name}`);
		}
	});
});

describe('credential Test (POST /rest/credentials/test, as the editor calls it)', () => {
	for (const credential of manifest.credentials) {
		test(credential.name, async (t) => {
			assert.ok(!credential.error, credential.error);
			const spec = credentialSpec(credential.name);
			assert.ok(
				spec,
				`no end-to-end cases for credential ${credential.name}: add them to test/e2e/lib/vendors.mjs`,
			);
			assert.ok(credential.hasTest, `${credential.name} has no test request`);
			const demo = demoCredentials(stack.fakes).find((c) => c.type === credential.name);
			assert.ok(demo, `scripts/lib/fakes.mjs demoCredentials() has no ${credential.name}`);
			const saved = stack.credentials.get(demo.name);
			const fake = stack.fakes[spec.vendor];
			const testWith = (data) =>
				stack.client.request('POST', '/credentials/test', {
					credentials: { id: saved.id, name: saved.name, type: saved.type, data },
				});

			// The demo credential as created, then every other accepted form of the same secrets.
			const goods = [{ label: 'good secrets', change: () => ({}) }, ...(spec.good ?? [])];
			for (const good of goods) {
				await t.test(`${good.label}: Connection successful`, async () => {
					const from = fake.requests.length;
					const result = await testWith({
						...demo.data,
						...(await good.change({ fakes: stack.fakes })),
					});
					assert.deepEqual(result, { status: 'OK', message: 'Connection successful!' });
					const calls = fake.requests.slice(from);
					assert.ok(
						calls.some(
							(r) =>
								r.method === spec.testRequest.method &&
								r.path === spec.testRequest.path &&
								r.status === 200,
						),
						`the test called ${spec.testRequest.method} ${spec.testRequest.path} on the fake: ${calls.map((r) => `${r.method} ${r.path} ${r.status}`).join(', ')}`,
					);
				});
			}

			if (spec.tokenReuse) {
				await t.test(
					`the token is fetched once, kept for later executions and renewed after a ${spec.tokenReuse.refusedStatus ?? 401}`,
					async () => {
						const node = manifest.nodes.find((n) => n.credentials.includes(credential.name));
						const [{ id }] = await importWorkflows(stack.client, [
							{
								name: `Token reuse (${credential.name})`,
								nodes: [
									{
										id: 'e2e-1',
										name: 'Run',
										type: 'n8n-nodes-base.manualTrigger',
										typeVersion: 1,
										position: [0, 0],
										parameters: {},
									},
									{
										id: 'e2e-2',
										name: 'Read',
										type: node.type,
										typeVersion: Array.isArray(node.version) ? node.version.at(-1) : node.version,
										position: [220, 0],
										parameters: spec.tokenReuse.parameters,
										credentials: { [credential.name]: { id: saved.id, name: saved.name } },
									},
								],
								connections: { Run: { main: [[{ node: 'Read', type: 'main', index: 0 }]] } },
							},
						]);
						// One execution first, so that the credential holds a token…
						assert.equal((await runWorkflow(stack.client, id)).status, 'success');
						// …which the vendor refuses from here on.
						spec.tokenReuse.expireTokens(stack.fakes);
						const before = spec.tokenReuse.tokenRequests(stack.fakes);
						const from = fake.requests.length;
						for (let i = 0; i < 3; i++) {
							const result = await runWorkflow(stack.client, id);
							assert.equal(result.status, 'success');
						}
						assert.equal(
							spec.tokenReuse.tokenRequests(stack.fakes) - before,
							1,
							'one new token for three executions',
						);
						const refused = spec.tokenReuse.refusedStatus ?? 401;
						assert.equal(
							fake.requests.slice(from).filter((r) => r.status === refused).length,
							1,
							`the kept token was used, refused once (${refused}) and renewed`,
						);
					},
				);
			}

			const closedUrl = `http://127.0.0.1:${await freePort()}`;
			for (const bad of spec.bad) {
				await t.test(`${bad.label}: fails with a clear message`, async (tt) => {
					const data = { ...demo.data, ...(await bad.change({ fakes: stack.fakes, closedUrl })) };
					const result = await testWith(data);
					tt.diagnostic(`message: ${result.message}`);
					assert.equal(result.status, 'Error', JSON.stringify(result));
					assert.match(result.message, bad.message);
					for (const [key, value] of Object.entries(data)) {
						if (
							/secret|password|token$|apikey$/i.test(key) &&
							typeof value === 'string' &&
							value.length > 3 &&
							!/^https?:/.test(value)
						) {
							assert.ok(!result.message.includes(value), `the message does not reveal ${key}`);
						}
					}
				});
			}
		});
	}
});

describe('examples/ can be imported by a user', () => {
	for (const { file, workflow } of readExamples()) {
		test(file, () => {
			assert.ok(
				workflow.name && Array.isArray(workflow.nodes) && workflow.connections,
				'an exported n8n workflow',
			);
			const names = new Set(workflow.nodes.map((n) => n.name));
			for (const [from, outputs] of Object.entries(workflow.connections)) {
				assert.ok(names.has(from), `connection from unknown node ${from}`);
				for (const target of Object.values(outputs).flat(2))
					assert.ok(names.has(target.node), `connection to unknown node ${target.node}`);
			}
			for (const node of workflow.nodes) {
				// Credentials by name only: n8n (and our importer) match them to the user's own.
				for (const [type, reference] of Object.entries(node.credentials ?? {})) {
					assert.equal(
						reference.id,
						null,
						`${node.name}: ${type} is referenced by name, without an id of our n8n`,
					);
					assert.ok(reference.name);
				}
				// No record ids of our fakes: ids come from expressions over earlier nodes.
				if (node.type.startsWith(`${manifest.name}.`)) {
					const literals = JSON.stringify(node.parameters).match(
						/"[^"=][^"]*[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}[^"]*"/gi,
					);
					assert.equal(literals, null, `${node.name} has literal ids: ${literals}`);
				}
			}
		});
	}
});

describe('example workflows run in n8n', () => {
	for (const { file } of readExamples()) {
		test(file, async (t) => {
			const spec = exampleSpec(file);
			assert.ok(spec, `no check for examples/${file}: add one to test/e2e/lib/vendors.mjs`);
			for (const run of spec.runs) {
				await t.test(run.label, async () => {
					await runExample(stack, file, run);
				});
			}
		});
	}
});

// Trigger nodes get one test each, with the check registered for them in the vendor table
// (VENDORS.<vendor>.triggers[<node name>]); a trigger without one fails. A check gets the stack
// and the test context (for subtests and diagnostics). How n8n 2.41.1 publishes a workflow:
// POST /rest/workflows/:id/activate with { versionId } (scripts/lib/workflows.mjs
// activateWorkflow); unpublish: POST /rest/workflows/:id/deactivate. Executions started by a
// trigger: GET /rest/executions?filter={"workflowId":…} (listExecutions). The shared steps
// (publish, registration, deliveries, 401s, unpublish, republish, polling) are in
// test/e2e/lib/harness.mjs (checkWebhookTrigger, checkPollingTrigger); each vendor file gives
// its hooks. See test/e2e/lib/cloudblue.mjs for a webhook trigger (registration in the fake, signed deliveries,
// forged ones refused, registration removed) and a polling trigger at the shortest interval, and
// test/e2e/lib/newstore.mjs for one that keeps its registration (stopped, started again), and
// test/e2e/lib/pax8.mjs for one with a shared secret (malformed, oversized and repeated deliveries,
// listening in the editor: POST /rest/workflows/:id/run answers { waitingForWebhook: true }).
// Trigger executions in queue mode: queue-mode.test.mjs runs the examples, and the NewStore and
// Pax8 Trigger examples are started by an event delivered to their webhook (vendors.mjs `execute`).
const triggers = manifest.nodes.filter((n) => n.trigger);
if (triggers.length) {
	describe('trigger nodes', () => {
		for (const node of triggers) {
			test(node.type, async (t) => {
				const check = triggerCheck(node.name);
				assert.ok(
					check,
					`no end-to-end check for trigger ${node.name}: add one to test/e2e/lib/vendors.mjs`,
				);
				await check({ stack, node, t });
			});
		}
	});
}
