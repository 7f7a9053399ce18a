// The example workflows in examples/ and what the demo and the end-to-end tests do with them in a
// running n8n: create credentials (reused by name), import workflows (reused by name), run a saved
// workflow the way the editor's "Execute workflow" button does, and read its execution back.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

import { CACHE, N8N_VERSION, ROOT } from './runtime.mjs';

export const EXAMPLES_DIR = path.join(ROOT, 'examples');

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Every example workflow: `{ file, workflow }`, sorted by file name. */
export function readExamples(dir = EXAMPLES_DIR) {
	return fs
		.readdirSync(dir)
		.filter((file) => file.endsWith('.json'))
		.sort()
		.map((file) => ({ file, workflow: JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) }));
}

/**
 * Creates each credential `{ name, type, data }`, or updates the one of that name and type that
 * already exists (so a demo credential keeps its id and follows a changed fake port). Answers a
 * Map name → `{ id, name, type, created }`.
 */
export async function ensureCredentials(client, credentials) {
	const existing = await client.request('GET', '/credentials');
	const byName = new Map();
	for (const credential of credentials) {
		const found = existing.find((c) => c.name === credential.name && c.type === credential.type);
		let saved;
		if (found) {
			saved = await client.request('PATCH', `/credentials/${found.id}`, credential);
		} else {
			saved = await client.request('POST', '/credentials', credential);
		}
		byName.set(credential.name, {
			id: saved.id,
			name: saved.name,
			type: saved.type,
			created: !found,
		});
	}
	return byName;
}

/**
 * A copy of `workflow` whose node credentials point at the credentials created in this n8n:
 * matched by name (and type), else by type when exactly one credential of that type is given.
 */
export function pointCredentials(workflow, credentialsByName) {
	const copy = structuredClone(workflow);
	const all = [...credentialsByName.values()];
	for (const node of copy.nodes ?? []) {
		for (const [type, reference] of Object.entries(node.credentials ?? {})) {
			const name = typeof reference === 'string' ? reference : reference?.name;
			const ofType = all.filter((c) => c.type === type);
			const match =
				ofType.find((c) => c.name === name) ?? (ofType.length === 1 ? ofType[0] : undefined);
			if (!match) {
				throw new Error(
					`Workflow "${workflow.name}", node "${node.name}": no ${type} credential named "${name}" was created`,
				);
			}
			node.credentials[type] = { id: match.id, name: match.name };
		}
	}
	return copy;
}

/** The body `POST /rest/workflows` accepts for an exported workflow file. */
function workflowBody(workflow) {
	const body = {
		name: workflow.name,
		nodes: workflow.nodes,
		connections: workflow.connections,
		settings: workflow.settings ?? { executionOrder: 'v1' },
		pinData: workflow.pinData ?? {},
	};
	if (workflow.meta) body.meta = workflow.meta;
	if (workflow.description) body.description = workflow.description;
	return body;
}

/**
 * Imports workflows (credentials already pointed): one of the same name that is not archived is
 * kept as it is unless `replace` (then its nodes, connections and settings are overwritten).
 * Answers `[{ name, id, created }]` in input order.
 */
export async function importWorkflows(client, workflows, { replace = false } = {}) {
	const existing = await client.request('GET', '/workflows');
	const list = Array.isArray(existing) ? existing : (existing?.data ?? []);
	const out = [];
	for (const workflow of workflows) {
		const found = list.find((w) => w.name === workflow.name && !w.isArchived);
		if (!found) {
			const created = await client.request('POST', '/workflows', workflowBody(workflow));
			out.push({ name: created.name, id: created.id, created: true });
			continue;
		}
		if (replace) {
			const current = await client.request('GET', `/workflows/${found.id}`);
			await client.request('PATCH', `/workflows/${found.id}`, {
				...workflowBody(workflow),
				versionId: current.versionId,
			});
		}
		out.push({ name: found.name, id: found.id, created: false });
	}
	return out;
}

/** Reads n8n's `/types/*.json` (served outside /rest, behind the same login cookie). */
export async function fetchTypes(client, kind) {
	const res = await fetch(`${client.url}/types/${kind}.json`, {
		headers: { cookie: client.cookie },
	});
	if (!res.ok) throw new Error(`GET /types/${kind}.json → ${res.status}`);
	return await res.json();
}

let flatted;
/** Execution data comes serialised with `flatted`; n8n's own copy parses it. */
function parseFlatted(text) {
	flatted ??= createRequire(path.join(CACHE, `n8n-${N8N_VERSION}`, 'package.json'))('flatted');
	return flatted.parse(text);
}

const DONE = new Set(['success', 'error', 'crashed', 'canceled']);

/**
 * Runs a saved workflow from its manual trigger like the editor's "Execute workflow" button
 * (`POST /rest/workflows/:id/run`), then polls `GET /rest/executions/:id` until it has finished.
 * Answers `{ executionId, status, execution, data }` (data = the parsed IRunExecutionData).
 */
export async function runWorkflow(client, workflowId, { trigger, timeoutMs = 120_000 } = {}) {
	let triggerName = trigger;
	if (!triggerName) {
		const workflow = await client.request('GET', `/workflows/${workflowId}`);
		triggerName = workflow.nodes.find((n) => n.type === 'n8n-nodes-base.manualTrigger')?.name;
		if (!triggerName) throw new Error(`Workflow ${workflowId} has no Manual Trigger to run from`);
	}
	const started = await client.request('POST', `/workflows/${workflowId}/run`, {
		triggerToStartFrom: { name: triggerName },
	});
	if (!started?.executionId)
		throw new Error(`The run did not start an execution: ${JSON.stringify(started)}`);
	return await waitForExecution(client, started.executionId, { timeoutMs });
}

/** Polls an execution until it has finished; see runWorkflow. */
export async function waitForExecution(client, executionId, { timeoutMs = 120_000 } = {}) {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		let execution;
		try {
			execution = await client.request('GET', `/executions/${executionId}`);
		} catch (error) {
			// Queue mode: the execution row may not be readable for a moment.
			if (error.status !== 404 || Date.now() > deadline) throw error;
		}
		if (execution && DONE.has(execution.status)) {
			const data =
				typeof execution.data === 'string' ? parseFlatted(execution.data) : execution.data;
			return { executionId: String(executionId), status: execution.status, execution, data };
		}
		if (Date.now() > deadline) {
			throw new Error(
				`Execution ${executionId} did not finish in ${timeoutMs} ms (status ${execution?.status})`,
			);
		}
		await sleep(250);
	}
}

/** The JSON of the items a node put out (last run, first output), or undefined when it did not run. */
export function nodeOutput(data, nodeName, output = 0) {
	const runs = data?.resultData?.runData?.[nodeName];
	if (!runs?.length) return undefined;
	const run = runs[runs.length - 1];
	return (run.data?.main?.[output] ?? []).map((item) => item.json);
}

/** A readable description of why an execution failed (its error, or the failing node's). */
export function executionError(data) {
	const error = data?.resultData?.error;
	if (!error) return undefined;
	const node = error.node?.name ?? data.resultData.lastNodeExecuted;
	return `${node ? `node "${node}": ` : ''}${error.message}${error.description ? ` (${error.description})` : ''}`;
}

/**
 * Publishes (activates) a saved workflow as the editor's "Publish" button does in n8n 2.x:
 * `POST /rest/workflows/:id/activate` with the current `versionId`. Answers the workflow.
 */
export async function activateWorkflow(client, workflowId) {
	const current = await client.request('GET', `/workflows/${workflowId}`);
	return await client.request('POST', `/workflows/${workflowId}/activate`, {
		versionId: current.versionId,
	});
}

/** Unpublishes (deactivates) a workflow: `POST /rest/workflows/:id/deactivate`. */
export async function deactivateWorkflow(client, workflowId) {
	return await client.request('POST', `/workflows/${workflowId}/deactivate`, {});
}

/**
 * The executions of a workflow, newest first (`GET /rest/executions?filter=…`, at most 100):
 * summaries `{ id, status, mode, startedAt, stoppedAt, … }`.
 */
export async function listExecutions(client, workflowId) {
	const filter = encodeURIComponent(JSON.stringify({ workflowId: String(workflowId) }));
	const page = await client.request('GET', `/executions?filter=${filter}&limit=100`);
	return page?.results ?? [];
}
