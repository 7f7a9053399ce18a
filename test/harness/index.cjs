'use strict';
/**
 * Runs this package's built nodes (dist/) through n8n-core's real engine: WorkflowExecute with
 * a credentials helper that applies `authenticate`, `preAuthentication` (expirable tokens) and
 * OAuth2 parents the way n8n's server does. HTTP goes out for real, to the fake vendors.
 */
const path = require('node:path');
const { core, workflow: wf, logLines } = require('./n8n.cjs');

const { WorkflowExecute, ExecutionLifecycleHooks } = core;
const { Workflow, ICredentialsHelper, NodeHelpers, NodeConnectionTypes, deepCopy } = wf;

const ROOT = path.resolve(__dirname, '../..');
const pkg = require(path.join(ROOT, 'package.json'));
const PACKAGE = pkg.name;

/** Loads every node and credential listed in package.json from dist/. */
function loadPackage() {
	const nodeTypes = {};
	const credentialTypes = {};
	for (const file of pkg.n8n.nodes) {
		const mod = require(path.join(ROOT, file));
		for (const Cls of Object.values(mod)) {
			if (typeof Cls !== 'function') continue;
			const instance = new Cls();
			if (instance.description) nodeTypes[`${PACKAGE}.${instance.description.name}`] = instance;
		}
	}
	for (const file of pkg.n8n.credentials) {
		const mod = require(path.join(ROOT, file));
		for (const Cls of Object.values(mod)) {
			if (typeof Cls !== 'function') continue;
			const instance = new Cls();
			if (instance.name) credentialTypes[instance.name] = instance;
		}
	}
	return { nodeTypes, credentialTypes };
}

/** The start node: puts the items given to the run on its output. */
class Start {
	description = {
		displayName: 'Start',
		name: 'start',
		group: ['trigger'],
		version: 1,
		defaults: { name: 'Start' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		properties: [],
	};
	async execute() {
		return [this.getInputData()];
	}
}

const loaded = loadPackage();

/** `pax8` → `n8n-nodes-newstore-pax8-cloudblue.pax8` (full names pass through). */
const fullTypeOf = (type) => (type.includes('.') ? type : `${PACKAGE}.${type}`);
const allNodeTypes = { ...loaded.nodeTypes, 'test.start': new Start() };
const nodeTypes = {
	getByName: (type) => allNodeTypes[type],
	getByNameAndVersion: (type, version) => NodeHelpers.getVersionedNodeType(allNodeTypes[type], version),
	getKnownTypes: () => ({}),
};

/**
 * Stored credentials by id, as n8n's database would hold them: `{ id: { type, data } }`.
 * `preAuthentication` results and OAuth token data are written back here, like n8n does.
 */
class CredentialStore {
	constructor() {
		this.entries = new Map();
		this.updates = [];
	}
	add(id, type, data) {
		this.entries.set(String(id), { type, data: deepCopy(data) });
		return { id: String(id), name: `${type} ${id}` };
	}
	get(id) {
		return this.entries.get(String(id));
	}
}

class TestCredentialsHelper extends ICredentialsHelper {
	constructor(store, credentialTypes = loaded.credentialTypes) {
		super();
		this.store = store;
		this.types = credentialTypes;
		this.preAuthCalls = 0;
	}
	type(name) {
		const type = this.types[name];
		if (!type) throw new Error(`Unknown credential type ${name}`);
		return type;
	}
	getParentTypes(name) {
		const parents = [];
		for (const parent of this.types[name]?.extends ?? []) {
			parents.push(parent, ...this.getParentTypes(parent));
		}
		return parents;
	}
	getCredentialsProperties(name) {
		const own = this.type(name).properties;
		const inherited = (this.type(name).extends ?? []).flatMap((p) => (this.types[p] ? this.getCredentialsProperties(p) : []));
		return [...inherited, ...own];
	}
	isCredentialUsableByNode() {
		return true;
	}
	async authenticate(credentials, typeName, requestOptions, workflow, node) {
		const type = this.type(typeName);
		if (typeof type.authenticate === 'function') {
			return await type.authenticate(credentials, requestOptions);
		}
		if (type.authenticate?.type === 'generic') {
			for (const [outer, values] of Object.entries(type.authenticate.properties)) {
				requestOptions[outer] ??= {};
				for (const [key, value] of Object.entries(values)) {
					requestOptions[outer][key] = workflow.expression.getSimpleParameterValue(
						node,
						value,
						'internal',
						{ $credentials: credentials },
						undefined,
						'',
					);
				}
			}
		}
		return requestOptions;
	}
	async preAuthentication(helpers, credentials, typeName, node, credentialsExpired) {
		const type = this.type(typeName);
		const expirable = this.getCredentialsProperties(typeName).find(
			(p) => p.type === 'hidden' && p.typeOptions?.expirable === true,
		);
		if (!expirable || typeof type.preAuthentication !== 'function') return undefined;
		if (credentials[expirable.name] !== '' && !credentialsExpired) return undefined;
		this.preAuthCalls++;
		const output = await type.preAuthentication.call(helpers, credentials);
		if (output?.[expirable.name] === undefined) return undefined;
		const id = node.credentials?.[typeName]?.id;
		const entry = id !== undefined ? this.store.get(id) : undefined;
		if (entry) {
			Object.assign(entry.data, output);
			this.store.updates.push({ id, type: typeName, keys: Object.keys(output) });
		}
		return output;
	}
	async runPreAuthentication() {
		return undefined;
	}
	async getDecrypted(_additionalData, nodeCredentials, type) {
		const entry = this.store.get(nodeCredentials.id);
		if (!entry) throw new Error(`No credential with id ${nodeCredentials.id}`);
		const defaults = {};
		for (const property of this.getCredentialsProperties(type)) defaults[property.name] = deepCopy(property.default);
		return { ...defaults, ...deepCopy(entry.data) };
	}
	async getCredentials(nodeCredentials, type) {
		return { id: nodeCredentials.id, name: nodeCredentials.name, type, data: this.store.get(nodeCredentials.id)?.data };
	}
	async updateCredentials(nodeCredentials, _type, data) {
		const entry = this.store.get(nodeCredentials.id);
		if (entry) entry.data = deepCopy(data);
	}
	async updateCredentialsOauthTokenData(nodeCredentials, _type, data) {
		const entry = this.store.get(nodeCredentials.id);
		if (entry) entry.data = { ...entry.data, ...deepCopy(data) };
	}
}

function additionalDataFor(hooks, credentialsHelper) {
	return {
		executionId: `exec-${Math.random().toString(36).slice(2)}`,
		hooks,
		credentialsHelper,
		variables: {},
		restApiUrl: 'http://127.0.0.1:5678/rest',
		instanceBaseUrl: 'http://127.0.0.1:5678/',
		webhookBaseUrl: 'http://127.0.0.1:5678/webhook',
		webhookWaitingBaseUrl: 'http://127.0.0.1:5678/webhook-waiting',
		webhookTestBaseUrl: 'http://127.0.0.1:5678/webhook-test',
		formWaitingBaseUrl: 'http://127.0.0.1:5678/form-waiting',
		currentNodeParameters: undefined,
		executeWorkflow: async () => ({}),
		logAiEvent: () => {},
		getRunExecutionData: async () => undefined,
		setExecutionStatus: () => {},
		sendDataToUI: () => {},
	};
}

/** Runs a whole workflow (nodes + connections); `startItems` are the Start node's output. */
async function runWorkflow({ nodes, connections, startNode = 'Start', startItems = [{ json: {} }], credentialsHelper }) {
	const workflow = new Workflow({ id: 'wf-test', nodes, connections, nodeTypes, active: false, settings: {}, staticData: {} });
	const hooks = new ExecutionLifecycleHooks('manual', '1', { id: 'wf-test', nodes: [], connections: {} });
	let finish;
	const finished = new Promise((resolve) => (finish = resolve));
	hooks.addHandler('workflowExecuteAfter', (run) => finish(run));
	const runExecutionData = {
		version: 1,
		startData: {},
		resultData: { runData: {} },
		executionData: {
			metadata: {},
			contextData: {},
			waitingExecution: {},
			waitingExecutionSource: null,
			nodeExecutionStack: [{ node: workflow.getNode(startNode), data: { main: [startItems] }, source: null }],
		},
	};
	const execution = new WorkflowExecute(additionalDataFor(hooks, credentialsHelper), 'manual', runExecutionData);
	try {
		await execution.processRunExecutionData(workflow);
	} catch (error) {
		// n8n refuses to start a workflow whose parameters fail their own checks (e.g. a
		// resource locator's regex): report it like a failed run.
		return { status: 'error', data: { resultData: { runData: {}, error } } };
	}
	return await finished;
}

/**
 * Runs one of our nodes on `items`: Start → node. Answers the node's output items, the error
 * if the run failed, and the raw run.
 */
async function runNode({
	type,
	parameters,
	credentials = {},
	items = [{ json: {} }],
	continueOnFail = false,
	credentialsHelper,
	name = 'Node',
}) {
	const fullType = fullTypeOf(type);
	if (!allNodeTypes[fullType]) throw new Error(`Node type ${fullType} is not in package.json`);
	const nodeCredentials = {};
	for (const [credType, ref] of Object.entries(credentials)) nodeCredentials[credType] = ref;
	const nodes = [
		{ id: 'start', name: 'Start', type: 'test.start', typeVersion: 1, position: [0, 0], parameters: {} },
		{
			id: 'node',
			name,
			type: fullType,
			typeVersion: allNodeTypes[fullType].description.version,
			position: [200, 0],
			parameters,
			credentials: nodeCredentials,
			...(continueOnFail ? { continueOnFail: true, onError: 'continueRegularOutput' } : {}),
		},
	];
	const connections = { Start: { main: [[{ node: name, type: 'main', index: 0 }]] } };
	const run = await runWorkflow({ nodes, connections, startItems: items, credentialsHelper });
	const nodeRun = run.data.resultData.runData[name]?.[0];
	return {
		run,
		status: run.status,
		error: run.data.resultData.error ?? nodeRun?.error,
		items: nodeRun?.data?.main?.[0] ?? [],
	};
}

/**
 * Calls a node's list-search method (resource locator "From List") through n8n-core's real
 * LoadOptionsContext, as the editor does.
 */
async function listSearch({ type, method, filter, paginationToken, parameters = {}, credentials = {}, credentialsHelper }) {
	const { nodeType, context } = loadOptionsContext({ type, parameters, credentials, credentialsHelper });
	return await nodeType.methods.listSearch[method].call(context, filter, paginationToken);
}

/** Calls a node's `loadOptions` method (a dropdown's options) as the editor does. */
async function loadOptions({ type, method, parameters = {}, credentials = {}, credentialsHelper }) {
	const { nodeType, context } = loadOptionsContext({ type, parameters, credentials, credentialsHelper });
	return await nodeType.methods.loadOptions[method].call(context);
}

function loadOptionsContext({ type, parameters, credentials, credentialsHelper }) {
	const fullType = fullTypeOf(type);
	const nodeType = allNodeTypes[fullType];
	const node = { id: 'node', name: 'Node', type: fullType, typeVersion: nodeType.description.version, position: [0, 0], parameters, credentials };
	const workflow = new Workflow({ id: 'wf-load-options', nodes: [node], connections: {}, nodeTypes, active: false, settings: {} });
	const hooks = new ExecutionLifecycleHooks('manual', '1', { id: 'wf-load-options', nodes: [], connections: {} });
	// The editor sends the parameters being edited as currentNodeParameters.
	const additional = { ...additionalDataFor(hooks, credentialsHelper), currentNodeParameters: parameters };
	return { nodeType, context: new core.LoadOptionsContext(workflow, node, additional, '') };
}

/**
 * A one-node workflow holding a trigger node, for poll / hook / webhook calls. Static data
 * lives on the workflow (`workflow.staticData`) as in n8n, so it carries across calls.
 */
function triggerWorkflow({ type, parameters, credentials = {}, name = 'Trigger', active = true }) {
	const fullType = fullTypeOf(type);
	const node = {
		id: 'trigger',
		name,
		type: fullType,
		typeVersion: allNodeTypes[fullType].description.version,
		position: [0, 0],
		parameters,
		credentials,
		webhookId: 'c0ffee00-0000-4000-8000-000000000001',
	};
	const workflow = new Workflow({ id: 'wf-trigger', name: 'Trigger test', nodes: [node], connections: {}, nodeTypes, active, settings: {}, staticData: {} });
	return { workflow, node: workflow.getNode(name), nodeType: allNodeTypes[fullType] };
}

function triggerAdditionalData(credentialsHelper, extra = {}) {
	const hooks = new ExecutionLifecycleHooks('trigger', '1', { id: 'wf-trigger', nodes: [], connections: {} });
	return { ...additionalDataFor(hooks, credentialsHelper), ...extra };
}

/** Calls the node's `poll()` through n8n-core's PollContext. */
async function poll(t, { credentialsHelper, mode = 'trigger', activation = 'activate' }) {
	const context = new core.PollContext(t.workflow, t.node, triggerAdditionalData(credentialsHelper), mode, activation);
	return await t.nodeType.poll.call(context);
}

function webhookData(t, { isTest = false } = {}) {
	const description = t.nodeType.description.webhooks[0];
	return { httpMethod: 'POST', node: t.node.name, path: description.path, webhookDescription: description, workflowId: t.workflow.id, isTest };
}

/** Runs a webhook lifecycle method (`checkExists`, `create`, `delete`) through HookContext. */
async function webhookMethod(t, method, { credentialsHelper, webhookBaseUrl, isTest = false }) {
	const data = webhookData(t, { isTest });
	const additional = triggerAdditionalData(credentialsHelper, webhookBaseUrl ? { webhookBaseUrl, webhookTestBaseUrl: webhookBaseUrl } : {});
	// "Listen for test event" in the editor registers with mode and activation "manual".
	const context = new core.HookContext(t.workflow, t.node, additional, isTest ? 'manual' : 'trigger', isTest ? 'manual' : 'activate', data);
	return await t.nodeType.webhookMethods.default[method].call(context);
}

/** The webhook URL the node registers (as `getNodeWebhookUrl('default')` answers). */
function webhookUrl(t, webhookBaseUrl) {
	const additional = triggerAdditionalData(undefined, { webhookBaseUrl, webhookTestBaseUrl: webhookBaseUrl });
	const context = new core.HookContext(t.workflow, t.node, additional, 'trigger', 'activate', webhookData(t));
	return context.getNodeWebhookUrl('default');
}

/**
 * Runs the node's `webhook()` for one HTTP delivery through WebhookContext, with an
 * express-like request/response. Answers `{ status, body, workflowData }`.
 */
async function deliver(t, { credentialsHelper, headers = {}, body = {} }) {
	const response = { statusCode: 200, body: undefined, headers: {} };
	const res = {
		status(code) {
			response.statusCode = code;
			return res;
		},
		json(value) {
			response.body = value;
			return res;
		},
		send(value) {
			response.body = value;
			return res;
		},
		end() {
			return res;
		},
		setHeader(name, value) {
			response.headers[name.toLowerCase()] = value;
		},
	};
	const lowered = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
	const req = { headers: lowered, body, query: {}, params: {}, method: 'POST' };
	const additional = triggerAdditionalData(credentialsHelper, { httpRequest: req, httpResponse: res });
	const context = new core.WebhookContext(t.workflow, t.node, additional, 'trigger', webhookData(t), [], null);
	const result = await t.nodeType.webhook.call(context);
	return { status: result.noWebhookResponse ? response.statusCode : 200, body: response.body, workflowData: result.workflowData };
}

/**
 * Emulates n8n's credential Test for a credential with a `test.request`: a forced
 * preAuthentication (as n8n does on Test), then the test request, authenticated.
 */
async function testCredential(type, data, { credentialsHelper } = {}) {
	const store = new CredentialStore();
	const ref = store.add('cred-test', type, data);
	const helper = credentialsHelper ?? new TestCredentialsHelper(store);
	const credType = helper.type(type);
	const node = { id: 'cred-test-node', name: 'Credential Test', type: 'test.start', typeVersion: 1, position: [0, 0], parameters: {}, credentials: { [type]: ref } };
	const workflow = new Workflow({ id: 'cred-test', nodes: [node], connections: {}, nodeTypes, active: false, settings: {} });
	let credentials = await helper.getDecrypted({}, ref, type);
	try {
		const helpers = { helpers: { httpRequest: requestWithFetch } };
		const output = await helper.preAuthentication(helpers, credentials, type, node, true);
		if (output) credentials = { ...credentials, ...output };
		const resolve = (value) =>
			typeof value === 'string' && value.startsWith('=')
				? workflow.expression.getSimpleParameterValue(node, value, 'internal', { $credentials: credentials }, undefined, '')
				: value;
		const test = credType.test.request;
		let options = { method: test.method ?? 'GET', url: `${resolve(test.baseURL ?? '')}${resolve(test.url ?? '')}`, qs: test.qs, headers: {} };
		options = await helper.authenticate(credentials, type, options, workflow, node);
		const response = await requestWithFetch(options);
		if (response.statusCode >= 300) return { status: 'Error', message: `HTTP ${response.statusCode}`, response };
		return { status: 'OK', message: 'Connection tested successfully' };
	} catch (error) {
		return { status: 'Error', message: error.message };
	}
}

/** A tiny `httpRequest` for the credential test emulation (n8n's own is internal). */
async function requestWithFetch(options) {
	const url = new URL(options.url);
	for (const [key, value] of Object.entries(options.qs ?? {})) url.searchParams.set(key, String(value));
	const headers = { ...(options.headers ?? {}) };
	let body;
	if (options.body !== undefined) {
		body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
		headers['Content-Type'] ??= 'application/json';
	}
	const res = await fetch(url, { method: options.method ?? 'GET', headers, body });
	const text = await res.text();
	let parsed = text;
	try {
		parsed = text ? JSON.parse(text) : undefined;
	} catch {}
	if (options.returnFullResponse) return { statusCode: res.status, headers: Object.fromEntries(res.headers), body: parsed };
	if (res.status >= 300 && !options.ignoreHttpStatusErrors) {
		const error = new Error(`Request failed with status code ${res.status}`);
		error.response = { status: res.status, data: parsed };
		throw error;
	}
	return parsed;
}

module.exports = {
	PACKAGE,
	loadPackage,
	nodeTypes,
	allNodeTypes,
	credentialTypes: loaded.credentialTypes,
	CredentialStore,
	TestCredentialsHelper,
	runWorkflow,
	runNode,
	listSearch,
	loadOptions,
	triggerWorkflow,
	poll,
	webhookMethod,
	webhookUrl,
	deliver,
	testCredential,
	fullTypeOf,
	logLines,
};
