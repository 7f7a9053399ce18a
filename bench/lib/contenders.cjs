'use strict';
/**
 * The three ways to list every record of a vendor that the benchmarks compare:
 *   ours     — this package's node, run by n8n-core's real engine (test/harness)
 *   floor    — a minimal keep-alive HTTP loop fetching the same pages (what a script would do)
 *   n8nLoop  — the same loop as a bare node in n8n's engine, each page through n8n's
 *              httpRequestWithAuthentication (the least any node can pay inside n8n)
 *   httpNode — n8n's own HTTP Request node (n8n-nodes-base 2.41.1) with its built-in
 *              pagination, configured as a user would, plus Split Out where records are wrapped
 * All three get their token (if any) inside the measured time, use the same page size and keep
 * every record in memory, as a workflow's next node would receive them.
 */
const http = require('node:http');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '../..');
const RUNTIME_MODULES = path.join(ROOT, '.cache/runtime/n8n-2.41.1/node_modules');

const SECRETS = {
	pax8: { clientId: 'bench-pax8-client', clientSecret: 'bench-pax8-secret-0c1d' },
	connect: { apiKey: 'SU-000-000-777:bench-connect-token-52ad' },
	newstore: { tenant: 'acme', clientId: 'bench-newstore-client', clientSecret: 'bench-newstore-secret-9e7f' },
};

/** Fake options per vendor (records seeded = `size`), as sent to bench/lib/fake-host.cjs. */
function fakeOptions(vendor, size, extra = {}) {
	if (vendor === 'pax8') {
		return { ...SECRETS.pax8, seed: 1, counts: { subscriptions: size }, ...extra };
	}
	if (vendor === 'connect') return { apiKey: SECRETS.connect.apiKey, seed: 1, counts: { requests: size }, ...extra };
	if (vendor === 'newstore') {
		const { tenant, clientId, clientSecret } = SECRETS.newstore;
		return { tenant, seed: 1, profiles: size, clients: { [clientId]: { secret: clientSecret, scopes: null } }, ...extra };
	}
	throw new Error(`unknown vendor ${vendor}`);
}

/** The stored n8n credential of our node for a started fake. */
function credentialFor(vendor, info) {
	if (vendor === 'pax8') {
		return {
			type: 'pax8Api',
			data: { ...SECRETS.pax8, audience: 'https://api.pax8.com', tokenUrl: `${info.url}/v1/token`, baseUrl: info.url },
		};
	}
	if (vendor === 'connect') return { type: 'cloudBlueConnectApi', data: { endpoint: `${info.apiUrl}/`, apiKey: SECRETS.connect.apiKey } };
	if (vendor === 'newstore') {
		const { tenant, clientId, clientSecret } = SECRETS.newstore;
		return {
			type: 'newStoreApi',
			data: { tenant, environment: 'p', authentication: 'clientCredentials', clientId, clientSecret, scope: '', baseUrl: info.url, tokenUrl: info.tokenUrl },
		};
	}
	throw new Error(`unknown vendor ${vendor}`);
}

const NODE_TYPE = { pax8: 'pax8', connect: 'cloudBlueConnect', newstore: 'newStore' };
const PAGE_SIZE = { pax8: 200, connect: 1000, newstore: 500 };

/**
 * Our node's parameters for "Get Many, Return All" (Simplify off: full records, like the
 * others). The fakes enforce no rate limit here, so the client-side limit is off too
 * (Options → Rate Limit 0); scenario 3 measures rate limiting on its own.
 */
function ourListParameters(vendor, { returnAll = true, limit } = {}) {
	const paging = returnAll ? { returnAll: true } : { returnAll: false, limit };
	if (vendor === 'pax8') return { resource: 'subscription', operation: 'getAll', ...paging, simplify: false, options: { rateLimit: 0 } };
	if (vendor === 'connect') return { resource: 'request', operation: 'getAll', ...paging, simplify: false, options: {} };
	if (vendor === 'newstore') {
		return { resource: 'customerProfile', operation: 'getAll', profilesPath: '/customer/profiles', ...paging, simplify: false, options: { rateLimit: 0 } };
	}
	throw new Error(`unknown vendor ${vendor}`);
}

// ------------------------------------------------------------------------------------ floor

/** GET/POST with a keep-alive agent; answers `{ status, headers, body }` with the body parsed. */
function requestJson(agent, url, { method = 'GET', headers = {}, body } = {}) {
	return new Promise((resolve, reject) => {
		const req = http.request(url, { method, agent, headers }, (res) => {
			const chunks = [];
			res.on('data', (chunk) => chunks.push(chunk));
			res.on('end', () => {
				const text = Buffer.concat(chunks).toString('utf8');
				try {
					resolve({ status: res.statusCode, headers: res.headers, body: text ? JSON.parse(text) : undefined });
				} catch (error) {
					reject(error);
				}
			});
			res.on('error', reject);
		});
		req.on('error', reject);
		if (body !== undefined) req.write(body);
		req.end();
	});
}

function check(response, what) {
	if (response.status < 200 || response.status >= 300) throw new Error(`${what} answered HTTP ${response.status}`);
	return response.body;
}

/** A Pax8 access token (client credentials), as the floor fetches it. */
async function pax8Token(agent, info) {
	const response = await requestJson(agent, `${info.url}/v1/token`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', accept: 'application/json' },
		body: JSON.stringify({ client_id: SECRETS.pax8.clientId, client_secret: SECRETS.pax8.clientSecret, audience: 'https://api.pax8.com', grant_type: 'client_credentials' }),
	});
	return check(response, 'token').access_token;
}

/**
 * The floor: fetch every page in a plain loop over one keep-alive connection and keep the
 * records in one array. `maxPages` and `pageSize` are for warm-ups.
 */
async function floor(vendor, info, { maxPages = Infinity, pageSize } = {}) {
	const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
	try {
		let auth = {};
		if (vendor === 'pax8') auth = { authorization: `Bearer ${await pax8Token(agent, info)}` };
		else if (vendor === 'connect') auth = { authorization: `ApiKey ${SECRETS.connect.apiKey}` };
		else if (vendor === 'newstore') {
			const form = new URLSearchParams({ grant_type: 'client_credentials', client_id: SECRETS.newstore.clientId, client_secret: SECRETS.newstore.clientSecret });
			const token = check(
				await requestJson(agent, info.tokenUrl, {
					method: 'POST',
					headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
					body: form.toString(),
				}),
				'token',
			).access_token;
			auth = { authorization: `Bearer ${token}` };
		}
		const headers = { ...auth, accept: 'application/json' };
		return await pageLoop(vendor, info, { maxPages, pageSize }, async (url) => {
			const response = await requestJson(agent, url, { headers });
			return { body: check(response, 'page'), headers: response.headers };
		});
	} finally {
		agent.destroy();
	}
}

/**
 * The page loop both minimal contenders share: `get(url)` answers `{ body, headers }` of one
 * page; every record is pushed into one array.
 */
async function pageLoop(vendor, info, { maxPages = Infinity, pageSize } = {}, get) {
	const records = [];
	const size = pageSize ?? PAGE_SIZE[vendor];
	if (vendor === 'pax8') {
		for (let page = 0; page < maxPages; page++) {
			const { body } = await get(`${info.url}/v1/subscriptions?page=${page}&size=${size}`);
			for (const record of body.content) records.push(record);
			if (body.content.length === 0 || page + 1 >= body.page.totalPages) break;
		}
	} else if (vendor === 'connect') {
		for (let offset = 0, pages = 0; pages < maxPages; pages++) {
			const { body, headers } = await get(`${info.apiUrl}/requests?limit=${size}&offset=${offset}`);
			for (const record of body) records.push(record);
			const total = Number(/\/(\d+)$/.exec(headers['content-range'] ?? '')?.[1] ?? Infinity);
			offset += body.length;
			if (body.length === 0 || offset >= total) break;
		}
	} else if (vendor === 'newstore') {
		for (let offset = 0, pages = 0; pages < maxPages; pages++) {
			const { body } = await get(`${info.url}/customer/profiles?offset=${offset}&count=${size}`);
			for (const record of body.profiles) records.push(record);
			offset += body.profiles.length;
			if (body.profiles.length === 0 || offset >= body.pagination_info.total) break;
		}
	}
	return records;
}

// ------------------------------------------------------------------------- n8n helper loop

const CREDENTIAL_TYPE = { pax8: 'pax8Api', connect: 'cloudBlueConnectApi', newstore: 'newStoreApi' };

/**
 * The least any node can do inside n8n: the same page loop as the floor, each page through
 * n8n's `httpRequestWithAuthentication` with this package's credential (token by its
 * preAuthentication), every record put out as an item. What our node spends above this
 * contender is ours; what this contender spends above the floor is n8n's request path and
 * engine, which every node pays.
 */
class HelperLoop {
	description = {
		displayName: 'Bench: n8n helper loop',
		name: 'n8nHelperLoop',
		group: ['transform'],
		version: 1,
		description: 'Benchmark contender',
		defaults: { name: 'Helper Loop' },
		inputs: ['main'],
		outputs: ['main'],
		credentials: Object.values(CREDENTIAL_TYPE).map((name) => ({ name, required: false })),
		properties: [
			{ displayName: 'Job', name: 'job', type: 'json', default: '{}' },
			{ displayName: 'ID', name: 'id', type: 'string', default: '' },
		],
	};

	async execute() {
		const { vendor, info, maxPages, pageSize, fanOut } = JSON.parse(this.getNodeParameter('job', 0));
		const credentialType = CREDENTIAL_TYPE[vendor];
		if (fanOut) {
			// One GET per input item, `fanOut.concurrency` at once, output in input order.
			const items = this.getInputData();
			const out = new Array(items.length);
			let next = 0;
			const lane = async () => {
				while (next < items.length) {
					const index = next++;
					const json = await this.helpers.httpRequestWithAuthentication.call(this, credentialType, {
						method: 'GET',
						// The ID as a user configures it: an expression n8n resolves per item.
						url: `${info.url}/v1/subscriptions/${this.getNodeParameter('id', index)}`,
						headers: { Accept: 'application/json' },
						json: true,
					});
					out[index] = { json, pairedItem: { item: index } };
				}
			};
			await Promise.all(Array.from({ length: fanOut.concurrency }, lane));
			return [out];
		}
		const records = await pageLoop(vendor, info, { maxPages: maxPages ?? Infinity, pageSize }, async (url) => {
			const response = await this.helpers.httpRequestWithAuthentication.call(this, credentialType, {
				method: 'GET',
				url,
				headers: { Accept: 'application/json' },
				json: true,
				returnFullResponse: true,
			});
			return { body: response.body, headers: response.headers };
		});
		return [records.map((json) => ({ json, pairedItem: { item: 0 } }))];
	}
}

/** Registers the helper-loop node type with the harness (once). */
function loadHelperLoop(h) {
	h.allNodeTypes['bench.n8nHelperLoop'] ??= new HelperLoop();
}

/** The workflow Start → helper loop for a vendor; credentials as our node gets them. */
function helperLoopWorkflow(vendor, info, credentials, { maxPages, pageSize, fanOut } = {}) {
	const job = JSON.stringify({ vendor, info, maxPages, pageSize, fanOut });
	return {
		nodes: [
			{ id: 'start', name: 'Start', type: 'test.start', typeVersion: 1, position: [0, 0], parameters: {} },
			{ id: 'loop', name: 'Helper Loop', type: 'bench.n8nHelperLoop', typeVersion: 1, position: [200, 0], parameters: { job, id: '={{ $json.id }}' }, credentials },
		],
		connections: { Start: { main: [[{ node: 'Helper Loop', type: 'main', index: 0 }]] } },
		output: 'Helper Loop',
	};
}

// ------------------------------------------------------------------------- HTTP Request node

let baseNodesLoaded = false;
/** Registers n8n's HTTP Request and Split Out nodes (from the provisioned n8n) with the harness. */
function loadBaseNodes(h) {
	if (baseNodesLoaded) return;
	const dir = path.join(RUNTIME_MODULES, 'n8n-nodes-base/dist/nodes');
	const { HttpRequest } = require(path.join(dir, 'HttpRequest/HttpRequest.node.js'));
	const { SplitOut } = require(path.join(dir, 'Transform/SplitOut/SplitOut.node.js'));
	h.allNodeTypes['n8n-nodes-base.httpRequest'] = new HttpRequest();
	h.allNodeTypes['n8n-nodes-base.splitOut'] = new SplitOut();
	baseNodesLoaded = true;
}

const HTTP_VERSION = 4.5;

/**
 * The workflow a user builds without this package: a token request (where the API needs one),
 * then the listing with the HTTP Request node's pagination ("Update a Parameter in Each
 * Request"), then Split Out on the records field. `maxPages` and `pageSize` are for warm-ups.
 */
function httpWorkflow(vendor, info, { maxPages, pageSize } = {}) {
	const size = pageSize ?? PAGE_SIZE[vendor];
	const nodes = [{ id: 'start', name: 'Start', type: 'test.start', typeVersion: 1, position: [0, 0], parameters: {} }];
	const chain = ['Start'];
	const add = (name, type, typeVersion, parameters) => {
		nodes.push({ id: name, name, type, typeVersion, position: [200 * nodes.length, 0], parameters });
		chain.push(name);
	};
	const limitPages = maxPages ? { limitPagesFetched: true, maxRequests: maxPages } : {};
	const paginate = (name, value, complete) => ({
		pagination: {
			pagination: {
				paginationMode: 'updateAParameterInEachRequest',
				parameters: { parameters: [{ type: 'qs', name, value }] },
				...complete,
				...limitPages,
			},
		},
	});
	const bearer = { sendHeaders: true, headerParameters: { parameters: [{ name: 'Authorization', value: "=Bearer {{ $('Get Token').item.json.access_token }}" }] } };
	if (vendor === 'pax8') {
		add('Get Token', 'n8n-nodes-base.httpRequest', HTTP_VERSION, {
			method: 'POST',
			url: `${info.url}/v1/token`,
			sendBody: true,
			contentType: 'json',
			specifyBody: 'json',
			jsonBody: JSON.stringify({ client_id: SECRETS.pax8.clientId, client_secret: SECRETS.pax8.clientSecret, audience: 'https://api.pax8.com', grant_type: 'client_credentials' }),
			options: {},
		});
		add('List', 'n8n-nodes-base.httpRequest', HTTP_VERSION, {
			url: `${info.url}/v1/subscriptions`,
			sendQuery: true,
			queryParameters: { parameters: [{ name: 'size', value: String(size) }] },
			...bearer,
			options: paginate('page', '={{ $pageCount }}', {
				paginationCompleteWhen: 'other',
				completeExpression: '={{ $response.body.page.number + 1 >= $response.body.page.totalPages }}',
			}),
		});
		add('Split Out', 'n8n-nodes-base.splitOut', 1, { fieldToSplitOut: 'content', options: {} });
	} else if (vendor === 'connect') {
		// The body is an array: "Response Is Empty" is the natural stop (one extra, empty page).
		add('List', 'n8n-nodes-base.httpRequest', HTTP_VERSION, {
			url: `${info.apiUrl}/requests`,
			sendQuery: true,
			queryParameters: { parameters: [{ name: 'limit', value: String(size) }] },
			sendHeaders: true,
			headerParameters: { parameters: [{ name: 'Authorization', value: `ApiKey ${SECRETS.connect.apiKey}` }] },
			options: paginate('offset', `={{ $pageCount * ${size} }}`, { paginationCompleteWhen: 'responseIsEmpty' }),
		});
	} else if (vendor === 'newstore') {
		add('Get Token', 'n8n-nodes-base.httpRequest', HTTP_VERSION, {
			method: 'POST',
			url: info.tokenUrl,
			sendBody: true,
			contentType: 'form-urlencoded',
			bodyParameters: {
				parameters: [
					{ name: 'grant_type', value: 'client_credentials' },
					{ name: 'client_id', value: SECRETS.newstore.clientId },
					{ name: 'client_secret', value: SECRETS.newstore.clientSecret },
				],
			},
			options: {},
		});
		add('List', 'n8n-nodes-base.httpRequest', HTTP_VERSION, {
			url: `${info.url}/customer/profiles`,
			sendQuery: true,
			queryParameters: { parameters: [{ name: 'count', value: String(size) }] },
			...bearer,
			options: paginate('offset', `={{ $pageCount * ${size} }}`, {
				paginationCompleteWhen: 'other',
				completeExpression: '={{ $response.body.pagination_info.offset + $response.body.pagination_info.count >= $response.body.pagination_info.total }}',
			}),
		});
		add('Split Out', 'n8n-nodes-base.splitOut', 1, { fieldToSplitOut: 'profiles', options: {} });
	}
	const connections = {};
	for (let i = 0; i + 1 < chain.length; i++) connections[chain[i]] = { main: [[{ node: chain[i + 1], type: 'main', index: 0 }]] };
	return { nodes, connections, output: chain.at(-1) };
}

module.exports = {
	SECRETS,
	PAGE_SIZE,
	NODE_TYPE,
	RUNTIME_MODULES,
	fakeOptions,
	credentialFor,
	ourListParameters,
	floor,
	loadHelperLoop,
	helperLoopWorkflow,
	requestJson,
	pax8Token,
	loadBaseNodes,
	httpWorkflow,
	HTTP_VERSION,
};
