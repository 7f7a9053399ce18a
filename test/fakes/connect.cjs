'use strict';

/**
 * Stateful fake of the CloudBlue Connect public API (https://api.connect.cloudblue.com/public/v1)
 * for integration tests. Behaviour follows shared/reference/cloudblue-connect.md; every request is
 * validated against Connect's OpenAPI document (specs/cloudblue-connect/connect-openapi-v37.0.yml,
 * loaded once per process) and against the operation's RQL filter declarations. A non-conforming
 * request is recorded in fake.violations and answered with a Connect error body.
 *
 *   const fake = await startFakeConnect({ apiKey: 'SU-000-000-000:secret', seed: 1 });
 *   fake.url  // http://127.0.0.1:PORT ; API base fake.url + '/public/v1' (= fake.apiUrl)
 *
 *   fake.state                 Maps keyed by id (see connect-seed.cjs); requests, assets and
 *                              subscriptionAssets build seeded values on first access (100k is cheap)
 *   fake.ids                   handy seeded ids (products, usageProducts, requests, users, ...)
 *   fake.requests / violations / inject() / reset() / close() / latencyMs   as in common.cjs
 *   fake.uploads               [{ usageFileId, filename, contentType, buffer }]
 *   fake.deliveries            webhook deliveries (headers, body, token, status, error)
 *   fake.emit(objectClass, productId)   deliver to active event webhooks (loopback URLs only)
 *   fake.signJwt(secret, claims)        HS256 token as Connect signs deliveries
 *   fake.addRequest({ type, status, productId, marketplaceId, customerId, assetId, params,
 *                     valueErrors, emptyRequired, items })          -> stored fulfillment request
 *   fake.addTierConfigRequest({ configId, type, status, params, emptyRequired, notes })
 *   fake.addUsageFile({ productId, contractId, name, period, currency, workbook, status })
 *   fake.conversationFor(instanceId)    the (lazily created) conversation of an object
 *   fake.timings               { spec: { loadMs, yamlMs, validatorMs }, startMs }
 *
 * Lists: limit (default 100, at most 1000) / offset, `Content-Range: items <first>-<last>/<total>`
 * computed like django-rql (an empty page is `items <offset>-<offset>/<total>`, e.g. 0-0/0;
 * limit=0 counts). Filters are RQL (connect-rql.cjs) checked against the operation's declared
 * filters and lookups.
 *
 * Seeded assets share frozen `params`/`items` arrays: change them through the API, addRequest(),
 * or by assigning a new array, not by mutating the seeded one (that throws).
 *
 * Modules: connect-rql.cjs (RQL), connect-seed.cjs (seed data), connect-usage.cjs (usage files and
 * records), connect-xlsx.cjs (multipart, zip, xlsx). Error codes: ERROR_CODES below.
 */

const crypto = require('node:crypto');
const fs = require('node:fs');
const http = require('node:http');
const path = require('node:path');
const yaml = require('js-yaml');
const {
	HttpError,
	createRateLimiter,
	createSpecValidator,
	sharedDir,
	startFakeServer,
} = require('./common.cjs');
const {
	RqlError,
	analyzeRql,
	filtersFromOperation,
	parseDateValue,
	parseRql,
	project,
	sortByOrdering,
	unquote,
} = require('./connect-rql.cjs');
const {
	connectDate,
	createConnectState,
	renderTemplate,
	requestParam,
} = require('./connect-seed.cjs');
const { createUsageApi } = require('./connect-usage.cjs');

const API_ROOT = '/public/v1';
const SPEC_FILE = ['cloudblue-connect', 'connect-openapi-v37.0.yml'];
const DEFAULT_LIMIT = 100;
const MAX_LIMIT = 1000;
/** Conversation message length limit: not declared in the spec; the Python SDK truncates to 540. */
const MAX_MESSAGE_LENGTH = 540;
const DELIVERY_TIMEOUT_MS = 10000;
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

/**
 * Error codes of the fake (Connect publishes no catalogue; REQ_005 and its params.empty_params are
 * documented, the rest follow Connect's PREFIX_NNN style and are the fake's choice).
 */
const ERROR_CODES = {
	AUTH_001: '401 missing or wrong "Authorization: ApiKey <token>"',
	NFD_001: '404 unknown object id or path',
	VAL_001: '400 request does not match the OpenAPI document (path, query, body)',
	VAL_002: '415 Content-Type not accepted by the operation',
	RQL_001: '400 malformed RQL, unknown/select-only filter, bad ordering/search',
	RQL_002: '400 lookup not allowed for that filter (per the spec\'s "lookups")',
	RQL_003: '400 filter value of the wrong type / not in the enum',
	PAG_001: '400 limit above 1000 or negative limit/offset',
	REQ_002: '400 template missing or not a template of the right product/scope/type',
	REQ_003: '400 fulfillment request in the wrong status for the action',
	REQ_004: '400 required field missing or invalid (reason, template_id, asset, ...)',
	REQ_005: '400 empty required parameters (params.empty_params lists them)',
	REQ_006: '400 unknown parameter id in a PUT',
	TCR_002: '400 tier config request: bad template',
	TCR_003: '400 tier config request in the wrong status',
	TCR_004: '400 tier config request: required field missing',
	TCR_005: '400 tier config request: empty required parameters',
	TCR_006: '400 tier config request: unknown parameter id',
	TAR_003: '400 tier account request in the wrong status',
	TAR_004: '400 tier account request: required field missing',
	UF_003: '400 usage file in the wrong status for the action',
	UF_004: '400 usage file: required field missing or invalid',
	UF_006: '400 upload without a multipart "usage_file" part',
	UR_003: '400 usage record in the wrong status',
	UR_004: '400 usage record: required field missing',
	CO_001: '400 message text missing or empty',
	CO_002: `400 message text longer than ${MAX_MESSAGE_LENGTH} characters`,
	WH_001: '400 webhook product not found',
	WH_002: '400 webhook external_url is not an http(s) URL',
	WH_003: '400 webhook label or jwt_secret longer than 100 characters',
	RATE_001: '429 rate limit of the fake (options.rateLimit)',
	SYS_001: '5xx injected or internal error',
	SYS_501: '501 operation exists in the spec but the fake does not implement it',
};

// ---------------------------------------------------------------------------------------------
// Specification (loaded once per process)

/**
 * Patch only the documented/observed defects of the Connect spec that make correct requests fail
 * validation. Each entry says why.
 */
function applyErrata(spec) {
	// (1) PUT /tier/config-requests/{id} reuses dp.TierConfigRequestCreate, whose `required:
	//     [configuration]` belongs to the create call. The reference (§6.2) and the Python SDK send
	//     only {params, notes}; the configuration of an existing request cannot be changed anyway.
	const put = spec.paths['/tier/config-requests/{id}'].put;
	const createSchema = spec.components.schemas['dp.TierConfigRequestCreate'];
	const updateSchema = structuredClone(createSchema);
	updateSchema.required = (updateSchema.required || []).filter((name) => name !== 'configuration');
	spec.components.schemas['fake.TierConfigRequestUpdate'] = updateSchema;
	put.requestBody.content['application/json'].schema = {
		$ref: '#/components/schemas/fake.TierConfigRequestUpdate',
	};
	return spec;
}

const specStats = { loadMs: null, yamlMs: null, validatorMs: null };
let specPromise = null;

/** Validator for the Connect spec, built once per process and shared by every fake. */
function loadConnectSpec() {
	if (!specPromise) {
		specPromise = (async () => {
			const t0 = performance.now();
			const text = fs.readFileSync(path.join(sharedDir(), 'specs', ...SPEC_FILE), 'utf8');
			const definition = applyErrata(yaml.load(text));
			const t1 = performance.now();
			const validator = await createSpecValidator({ definition, apiRoot: API_ROOT });
			const t2 = performance.now();
			Object.assign(specStats, {
				yamlMs: Math.round(t1 - t0),
				validatorMs: Math.round(t2 - t1),
				loadMs: Math.round(t2 - t0),
			});
			return validator;
		})();
		specPromise.catch(() => {
			specPromise = null;
		});
	}
	return specPromise;
}

const operationMeta = new WeakMap();
/** Per-operation facts derived from the spec: list?, declared filters, search support. */
function metaOf(operation) {
	let meta = operationMeta.get(operation);
	if (!meta) {
		const ok = operation.responses && operation.responses['200'];
		const schema =
			ok && ok.content && ok.content['application/json'] && ok.content['application/json'].schema;
		meta = {
			key: `${operation.method.toUpperCase()} ${operation.path}`,
			isList:
				operation.method.toLowerCase() === 'get' && Boolean(schema && schema.type === 'array'),
			filters: filtersFromOperation(operation),
			search: (operation.parameters || []).some(
				(p) => p && p.in === 'query' && p.name === 'search',
			),
		};
		operationMeta.set(operation, meta);
	}
	return meta;
}

// ---------------------------------------------------------------------------------------------
// Raw request data: uploads need the exact bytes and RQL the undecoded query string, which
// common.cjs passes as ctx.rawBuffer and ctx.rawUrl.

function takeRaw(ctx) {
	const q = ctx.rawUrl.indexOf('?');
	return { rawQuery: q >= 0 ? ctx.rawUrl.slice(q + 1) : '', rawBuffer: ctx.rawBuffer };
}

/** Plain `key=value` pairs of the query string (undecoded like Connect: `+` stays a plus). */
function simpleQuery(rawQuery) {
	const out = {};
	for (const piece of rawQuery.split('&')) {
		if (!piece || piece.includes('(')) continue;
		const eq = piece.indexOf('=');
		if (eq <= 0) continue;
		const value = piece.slice(eq + 1);
		if (/^(eq|ne|gt|ge|lt|le)=/.test(value)) continue;
		out[unquote(piece.slice(0, eq))] = unquote(value);
	}
	return out;
}

// ---------------------------------------------------------------------------------------------
// Helpers

const errorBody = (code, errors, params) => ({
	error_code: code,
	errors: Array.isArray(errors) ? errors : [errors],
	...(params && { params }),
});
const fail = (status, code, errors, params) =>
	new HttpError(status, errorBody(code, errors, params));
const bad = (code, errors, params) => fail(400, code, errors, params);
const ok = (body) => ({ status: 200, body });
const created = (body) => ({ status: 201, body });
const noContent = () => ({ status: 204 });
const now = () => connectDate(Date.now());
const nonEmpty = (v) => (typeof v === 'string' ? v.trim() !== '' : v !== undefined && v !== null);
const bodyOf = (ctx) => (ctx.body && typeof ctx.body === 'object' ? ctx.body : {});

function isLoopbackUrl(value) {
	try {
		const url = new URL(value);
		return (
			(url.protocol === 'http:' || url.protocol === 'https:') && LOOPBACK_HOSTS.has(url.hostname)
		);
	} catch {
		return false;
	}
}

const b64url = (input) => Buffer.from(input).toString('base64url');

/** HS256 JWT as Connect signs webhook deliveries (secret = the webhook's jwt_secret, UTF-8). */
function signJwt(secret, claims, header = { alg: 'HS256', typ: 'JWT' }) {
	const head = b64url(JSON.stringify(header));
	const body = b64url(JSON.stringify(claims));
	const signature = crypto
		.createHmac('sha256', Buffer.from(String(secret), 'utf8'))
		.update(`${head}.${body}`)
		.digest('base64url');
	return `${head}.${body}.${signature}`;
}

/** Free-text search: case-insensitive substring over strings at depth <= 2. */
function searchFn(item, text) {
	const needle = text.toLowerCase();
	const scan = (node, depth) => {
		if (node === null || node === undefined || depth > 2) return false;
		if (typeof node === 'string') return node.toLowerCase().includes(needle);
		if (typeof node !== 'object') return false;
		for (const value of Array.isArray(node) ? node : Object.values(node))
			if (scan(value, depth + 1)) return true;
		return false;
	};
	return scan(item, 0);
}

/** Filter names that are not the property path of the objects the fake returns. */
const ALIASES = {
	'GET /requests': {
		asset_id: 'asset.id',
		product_id: 'asset.product.id',
		'asset.tier1_id': 'asset.tiers.tier1.id',
		'asset.tier2_id': 'asset.tiers.tier2.id',
		'asset.external.id': 'asset.external_id',
		assignee: 'assignee.id',
		contract__id__exact: 'contract.id',
	},
	'GET /usage/files': {
		'created.at': 'events.created.at',
		product_id: 'product.id',
		marketplace_id: 'marketplace.id',
		provider_id: 'provider.id',
		vendor_id: 'vendor.id',
	},
	'GET /usage/records': {
		usage_file: 'usagefile.id',
		usage_start_time: 'start_date',
		created_time: 'start_date',
		'hub.id': 'asset.hub.id',
	},
	'GET /listings': { contract__marketplace__name: 'marketplace.name' },
	'GET /tier/configs': { 'account.company_name': 'account.name' },
};

// ---------------------------------------------------------------------------------------------
// The fake

/**
 * @param {object} [options]
 * @param {string} [options.apiKey='SU-000-000-000:secret']  token accepted as "Authorization: ApiKey <token>"
 * @param {number} [options.seed=1]
 * @param {object} [options.counts]  seed sizes (see connect-seed.cjs DEFAULT_COUNTS)
 * @param {number} [options.latencyMs=0]
 * @param {{limit:number, windowMs:number, retryAfter?:boolean}|null} [options.rateLimit=null]
 * @param {number} [options.port=0]
 * @param {number} [options.maxLog]  keep only the newest N request-log entries
 * @param {number} [options.maxMessageLength=540]
 */
async function startFakeConnect(options = {}) {
	const opts = {
		apiKey: 'SU-000-000-000:secret',
		seed: 1,
		counts: {},
		latencyMs: 0,
		rateLimit: null,
		port: 0,
		maxLog: undefined,
		maxMessageLength: MAX_MESSAGE_LENGTH,
		...options,
	};
	const apiKey = String(opts.apiKey).replace(/^ApiKey\s+/i, '');
	const startedAt = performance.now();
	const validator = await loadConnectSpec();
	const apiUrlRef = { value: '' };
	const { state, ids, meta, counts } = createConnectState({
		seed: opts.seed,
		counts: opts.counts,
		apiUrlRef,
	});
	const limiter = createRateLimiter();
	let fake; // assigned once the server listens

	// ------------------------------------------------------------------ lookups

	const find = (map, id, what) => {
		const value = id === undefined ? undefined : map.get(id);
		if (!value) throw fail(404, 'NFD_001', `${what} ${id} not found.`);
		return value;
	};
	const requestOf = (ctx) => find(state.requests, ctx.params.id, 'Request');
	const productOf = (ctx) =>
		find(state.products, ctx.params.product_product_id || ctx.params.product_id, 'Product');
	const tcrOf = (ctx) => find(state.tierConfigRequests, ctx.params.id, 'Tier config request');
	const userById = (id) => [...state.users.values()].find((u) => u.id === id);
	const userByEmail = (email) =>
		[...state.users.values()].find((u) => u.email.toLowerCase() === String(email).toLowerCase());
	const templatesOfProduct = (productId) =>
		[...state.templates.values()].filter((t) => t.productId === productId);

	// ------------------------------------------------------------------ lists

	function list(ctx, source) {
		const q = ctx.rql || { predicate: null, ordering: null, exclusions: [] };
		const limit = q.limit === undefined ? DEFAULT_LIMIT : Number(q.limit);
		const offset = q.offset === undefined ? 0 : Number(q.offset);
		if (!Number.isInteger(limit) || limit < 0 || limit > MAX_LIMIT)
			throw bad('PAG_001', `limit must be an integer between 0 and ${MAX_LIMIT}.`);
		if (!Number.isInteger(offset) || offset < 0)
			throw bad('PAG_001', 'offset must be a non-negative integer.');
		let total;
		let page;
		if (source instanceof Map && !q.predicate && !q.ordering) {
			// unfiltered: count from the Map and build only the page (seeded values are lazy)
			total = source.size;
			page = [];
			if (limit > 0) {
				let index = 0;
				for (const key of source.keys()) {
					if (index++ < offset) continue;
					page.push(source.get(key));
					if (page.length === limit) break;
				}
			}
		} else {
			let rows = [];
			for (const item of source instanceof Map ? source.values() : source)
				if (!q.predicate || q.predicate(item)) rows.push(item);
			if (q.ordering) rows = sortByOrdering(rows, q.ordering);
			total = rows.length;
			page = limit === 0 ? [] : rows.slice(offset, offset + limit);
		}
		// django-rql's RQLContentRangeLimitOffsetPagination: "items <offset>-<offset+len-1|offset>/<total>";
		// limit=0 is a count-only call with offset 0
		const first = limit === 0 ? 0 : offset;
		const last = first + (page.length ? page.length - 1 : 0);
		return {
			status: 200,
			body: page.map((item) => project(item, q.exclusions)),
			headers: { 'content-range': `items ${first}-${last}/${total}` },
		};
	}

	// ------------------------------------------------------------------ conversations (lazy)

	const instanceKinds = [
		['PR-', state.requests, 'Fulfillment request'],
		['TCR-', state.tierConfigRequests, 'Tier config request'],
		['TAR-', state.tierAccountRequests, 'Tier account request'],
		['UF-', state.usageFiles, 'Usage file'],
		['LST-', state.listings, 'Listing'],
		['AS-', state.assets, 'Asset'],
	];
	const conversationByInstance = new Map();

	/** Conversation id derived from the instance id, so lazy creation does not depend on order. */
	function conversationId(instanceId) {
		const digest = crypto.createHash('sha256').update(`${opts.seed}:${instanceId}`).digest();
		const groups = [];
		for (let i = 0; i < 6; i++)
			groups.push(String(digest.readUInt16BE(i * 2) % 1000).padStart(3, '0'));
		return `CO-${groups.join('-')}`;
	}

	function conversationFor(instanceId, { create = true } = {}) {
		const existing = conversationByInstance.get(instanceId);
		if (existing) return existing;
		const kind = instanceKinds.find(([prefix]) => instanceId.startsWith(prefix));
		if (!kind || !create) return null;
		const instance = kind[1].get(instanceId);
		if (!instance) return null;
		const createdAt =
			instance.created ||
			(instance.events && instance.events.created && instance.events.created.at) ||
			now();
		const conversation = {
			id: conversationId(instanceId),
			instance_id: instanceId,
			topic: `${kind[2]} ${instanceId}`,
			type: 'conversation',
			status: 'open',
			accounts: [
				{ id: meta.vendor.id, name: meta.vendor.name, icon: meta.vendor.icon },
				{ id: meta.provider.id, name: meta.provider.name, icon: meta.provider.icon },
			],
			creator: { id: meta.actor.id, name: meta.actor.name, icon: '' },
			created: createdAt,
			events: {
				created: { at: createdAt, by: meta.actor },
				updated: { at: createdAt, by: meta.actor },
			},
		};
		Object.defineProperty(conversation, 'messages', {
			enumerable: false,
			writable: true,
			value: [],
		});
		conversationByInstance.set(instanceId, conversation);
		state.conversations.set(conversation.id, conversation);
		addMessage(conversation, {
			text: `${kind[2]} ${instanceId} was created.`,
			type: 'state_change',
			at: createdAt,
		});
		return conversation;
	}

	function addMessage(conversation, { text, type = 'message', at = now(), by = meta.actor }) {
		const message = {
			id: ids.message(),
			conversation: conversation.id,
			account: { id: meta.vendor.id, name: meta.vendor.name, icon: meta.vendor.icon },
			created: at,
			creator: { id: by.id, name: by.name, icon: '' },
			text,
			type,
			events: { created: { at, by }, updated: { at, by } },
		};
		conversation.messages.push(message);
		conversation.events.updated = { at, by };
		return message;
	}
	const note = (instanceId, text, type = 'state_change') =>
		addMessage(conversationFor(instanceId), { text, type });

	// seed a few conversations so the list is not empty
	{
		let n = 0;
		for (const id of state.requests.keys()) {
			if (n++ >= counts.conversations) break;
			conversationFor(id);
		}
	}

	const conversationView = (c, withMessages) => (withMessages ? { ...c, messages: c.messages } : c);

	// ------------------------------------------------------------------ fulfillment requests

	const OPEN = new Set(['pending', 'inquiring', 'draft', 'tiers_setup', 'scheduled']);

	function requireStatus(entity, allowed, code, action) {
		if (!allowed.includes(entity.status)) {
			throw bad(
				code,
				`Only ${allowed.join(' or ')} ${code.startsWith('REQ') ? 'requests' : 'objects'} can be ${action}; ${entity.id} is ${entity.status}.`,
			);
		}
	}

	function touchRequest(request, status) {
		if (status) request.status = status;
		request.updated = now();
		meta.settleAsset(request);
	}

	function emptyRequired(params, phases) {
		return params
			.filter(
				(p) => p.constraints && p.constraints.required && (!phases || phases.includes(p.phase)),
			)
			.filter(
				(p) =>
					!nonEmpty(p.value) && !(p.structured_value && Object.keys(p.structured_value).length),
			)
			.map((p) => p.id);
	}

	function templateFor(productId, id, scope, type, code) {
		const template = state.templates.get(id);
		if (!template || template.productId !== productId)
			throw bad(code, `Template ${id} is not a template of product ${productId}.`);
		if (template.scope !== scope || template.type !== type)
			throw bad(
				code,
				`Template ${id} is a ${template.scope} ${template.type} template; a ${scope} ${type} template is required.`,
			);
		return template;
	}

	function assignee(body, code) {
		const user = body.id ? userById(body.id) : body.email ? userByEmail(body.email) : null;
		if (!user)
			throw bad(
				code,
				`User ${body.id || body.email || '(none)'} not found in account ${meta.vendor.id}.`,
			);
		return { id: user.id, name: user.name, email: user.email };
	}

	function addRequest(spec = {}) {
		const product = spec.productId
			? find(state.products, spec.productId, 'Product')
			: meta.products[0];
		const marketplace = spec.marketplaceId
			? find(state.marketplaces, spec.marketplaceId, 'Marketplace')
			: meta.marketplaces[0];
		const customer = spec.customerId
			? find(state.tierAccounts, spec.customerId, 'Tier account')
			: meta.customers[0];
		const type = spec.type || 'purchase';
		let asset;
		let seq = 1;
		if (type !== 'purchase' || spec.assetId) {
			asset = spec.assetId ? find(state.assets, spec.assetId, 'Asset') : undefined;
			if (!asset) {
				asset = addRequest({ ...spec, type: 'purchase', status: 'approved' }).asset;
			}
			seq =
				[...state.requests.keys()].filter((k) => k.startsWith(`PR-${asset.id.slice(3)}-`)).length +
				1;
		}
		const request = meta.buildRequest({
			product,
			marketplace,
			customer,
			connection: spec.connectionId
				? find(state.connections, spec.connectionId, 'Connection')
				: undefined,
			type,
			status: spec.status || 'pending',
			created: spec.created ? Date.parse(spec.created) : Date.now(),
			asset,
			seq,
			emptyRequired: spec.emptyRequired,
			paramValues: spec.params,
			valueErrors: spec.valueErrors,
			items: spec.items,
		});
		if (request.status === 'approved') {
			const [template] = meta.templatesOf(request.asset.product.id, 'asset', 'fulfillment');
			request.template = { id: template.id, name: template.name, representation: template.name };
			request.activation_key = renderTemplate(template.body, request.asset.params, {
				product_name: request.asset.product.name,
			});
		}
		state.requests.set(request.id, request);
		meta.settleAsset(request);
		return request;
	}

	function render(request) {
		const ref = request.template && state.templates.get(request.template.id);
		if (ref)
			return renderTemplate(ref.body, request.asset.params, {
				product_name: request.asset.product.name,
			});
		if (request.activation_key) return request.activation_key;
		throw bad('REQ_003', `Request ${request.id} has no template to render yet.`);
	}

	const requestRoutes = {
		'GET /requests': (ctx) => list(ctx, state.requests),
		'GET /requests/{id}': (ctx) => ok(requestOf(ctx)),
		'GET /assets/{asset_id}/requests': (ctx) => {
			const asset = find(state.assets, ctx.params.asset_id, 'Asset');
			const prefix = `PR-${asset.id.slice(3)}-`;
			const requests = [];
			for (const id of state.requests.keys())
				if (id.startsWith(prefix)) requests.push(state.requests.get(id));
			return list(ctx, requests);
		},

		'POST /requests'(ctx) {
			const body = bodyOf(ctx);
			const type = body.type;
			const asset = body.asset || {};
			const status = body.status === 'draft' ? 'draft' : 'pending';
			if (type === 'purchase') {
				const productId = asset.product && asset.product.id;
				if (!productId)
					throw bad('REQ_004', 'asset.product.id is required for a purchase request.');
				const product = state.products.get(productId);
				if (!product) throw bad('REQ_004', `Product ${productId} not found.`);
				const connections = meta.connectionsOf.get(product.id);
				const connection =
					asset.connection && asset.connection.id
						? connections.find((c) => c.id === asset.connection.id)
						: connections[0];
				if (!connection)
					throw bad(
						'REQ_004',
						`Connection ${asset.connection.id} is not a connection of product ${product.id}.`,
					);
				const marketplaceId = body.marketplace && body.marketplace.id;
				const marketplace = marketplaceId
					? state.marketplaces.get(marketplaceId)
					: meta.marketplaces[0];
				if (!marketplace) throw bad('REQ_004', `Marketplace ${marketplaceId} not found.`);
				const productItems = state.items.get(product.id);
				const items = asset.items || [];
				if (!items.length) throw bad('REQ_004', 'asset.items must contain at least one item.');
				for (const item of items) {
					if (
						!productItems.some(
							(i) => i.id === item.id || i.local_id === item.id || i.mpn === item.id,
						)
					)
						throw bad('REQ_004', `Item ${item.id} is not an item of product ${product.id}.`);
				}
				const definitions = state.parameters.get(product.id).filter((p) => p.scope === 'asset');
				const values = {};
				for (const param of asset.params || []) {
					if (!definitions.some((d) => d.name === param.id))
						throw bad(
							'REQ_006',
							`Parameter ${param.id} is not a parameter of product ${product.id}.`,
						);
					values[param.id] =
						param.value === undefined || param.value === null ? '' : String(param.value);
				}
				for (const d of definitions) if (!(d.name in values)) values[d.name] = '';
				const customer = tierAccountFromBody(asset.tiers && asset.tiers.customer, 'customer');
				const tier1 =
					asset.tiers && asset.tiers.tier1
						? tierAccountFromBody(asset.tiers.tier1, 'reseller')
						: null;
				const request = meta.buildRequest({
					product,
					marketplace,
					customer: customer || meta.customers[0],
					connection,
					type,
					status,
					created: Date.now(),
					paramValues: values,
					items,
					tiers: customer
						? { customer: customer.tierRef, ...(tier1 && { tier1: tier1.tierRef }) }
						: undefined,
				});
				if (asset.external_id !== undefined) request.asset.external_id = String(asset.external_id);
				if (asset.external_uid !== undefined)
					request.asset.external_uid = String(asset.external_uid);
				if (body.note) request.note = String(body.note);
				state.requests.set(request.id, request);
				meta.settleAsset(request);
				conversationFor(request.id);
				return created(request);
			}
			const existing = asset.id && state.assets.get(asset.id);
			if (!existing)
				throw bad('REQ_004', `asset.id ${asset.id || '(missing)'} is not an existing asset.`);
			if (existing.pending_request)
				throw bad(
					'REQ_003',
					`Asset ${existing.id} already has the open request ${existing.pending_request.id}.`,
				);
			const allowedFrom =
				{
					change: ['active'],
					suspend: ['active'],
					cancel: ['active', 'suspended'],
					resume: ['suspended'],
				}[type] || [];
			if (!allowedFrom.includes(existing.status))
				throw bad(
					'REQ_003',
					`A ${type} request needs an asset in status ${allowedFrom.join(' or ')}; ${existing.id} is ${existing.status}.`,
				);
			const request = addRequest({
				type,
				status,
				assetId: existing.id,
				productId: existing.product.id,
			});
			if (body.note) request.note = String(body.note);
			conversationFor(request.id);
			return created(request);
		},

		'PUT /requests/{id}'(ctx) {
			const request = requestOf(ctx);
			requireStatus(request, ['pending', 'inquiring', 'draft'], 'REQ_003', 'updated');
			const body = bodyOf(ctx);
			const changes = (body.asset && body.asset.params) || [];
			for (const change of changes) {
				if (!request.asset.params.some((p) => p.id === change.id))
					throw bad(
						'REQ_006',
						`Parameter ${change.id} is not a parameter of request ${request.id}.`,
					);
			}
			if (changes.length) {
				const params = meta.ownParams(request.asset);
				for (const change of changes) {
					const param = params.find((p) => p.id === change.id);
					// only value, value_error and structured_value can be changed
					if (change.value !== undefined)
						param.value = change.value === null ? '' : String(change.value);
					if (change.value_error !== undefined)
						param.value_error = change.value_error === null ? '' : String(change.value_error);
					if (change.structured_value !== undefined)
						param.structured_value = change.structured_value;
				}
			}
			if (body.note !== undefined) request.note = body.note === null ? '' : String(body.note);
			touchRequest(request);
			return ok(request);
		},

		'POST /requests/{id}/approve'(ctx) {
			const request = requestOf(ctx);
			requireStatus(request, ['pending', 'inquiring'], 'REQ_003', 'approved');
			const body = bodyOf(ctx);
			if (!nonEmpty(body.template_id) && !nonEmpty(body.activation_tile))
				throw bad('REQ_004', 'template_id or activation_tile is required.');
			let effective = null;
			if (body.effective_date !== undefined) {
				effective = parseDateValue(String(body.effective_date));
				if (Number.isNaN(effective))
					throw bad(
						'REQ_004',
						`effective_date ${body.effective_date} is not an ISO 8601 date-time.`,
					);
			}
			let template = null;
			if (nonEmpty(body.template_id))
				template = templateFor(
					request.asset.product.id,
					body.template_id,
					'asset',
					'fulfillment',
					'REQ_002',
				);
			const empty = emptyRequired(request.asset.params);
			if (empty.length)
				throw bad('REQ_005', 'There are empty required parameters.', { empty_params: empty });
			if (template) {
				request.template = { id: template.id, name: template.name, representation: template.name };
				request.activation_key = renderTemplate(template.body, request.asset.params, {
					product_name: request.asset.product.name,
				});
			} else {
				request.template = null;
				request.activation_key = String(body.activation_tile);
			}
			for (const param of meta.ownParams(request.asset))
				if (param.value_error) param.value_error = '';
			if (effective !== null) request.effective_date = connectDate(effective);
			touchRequest(request, 'approved');
			note(request.id, 'Request was approved.');
			return ok(request);
		},

		'POST /requests/{id}/fail'(ctx) {
			const request = requestOf(ctx);
			requireStatus(request, ['pending', 'inquiring'], 'REQ_003', 'failed');
			const reason = bodyOf(ctx).reason;
			if (!nonEmpty(reason)) throw bad('REQ_004', 'reason is required to fail a request.');
			request.reason = String(reason);
			touchRequest(request, 'failed');
			note(request.id, `Request failed: ${request.reason}`, 'message'); // Connect adds the note itself
			return ok(request);
		},

		'POST /requests/{id}/inquire'(ctx) {
			const request = requestOf(ctx);
			requireStatus(request, ['pending'], 'REQ_003', 'inquired');
			const body = bodyOf(ctx);
			if (nonEmpty(body.template_id)) {
				const template = templateFor(
					request.asset.product.id,
					body.template_id,
					'asset',
					'inquire',
					'REQ_002',
				);
				request.template = { id: template.id, name: template.name, representation: template.name };
				request.activation_key = renderTemplate(template.body, request.asset.params, {
					product_name: request.asset.product.name,
				});
			} else if (nonEmpty(body.activation_tile)) {
				request.activation_key = String(body.activation_tile);
			}
			touchRequest(request, 'inquiring');
			note(request.id, 'Request was moved to inquiring.');
			return ok(request);
		},

		'POST /requests/{id}/pend'(ctx) {
			const request = requestOf(ctx);
			requireStatus(request, ['inquiring'], 'REQ_003', 'pended');
			touchRequest(request, 'pending');
			note(request.id, 'Request was moved back to pending.');
			return ok(request);
		},

		'POST /requests/{id}/assign'(ctx) {
			const request = requestOf(ctx);
			if (!OPEN.has(request.status))
				throw bad('REQ_003', `Request ${request.id} is ${request.status} and cannot be assigned.`);
			request.assignee = assignee(bodyOf(ctx), 'REQ_004');
			touchRequest(request);
			return ok(request);
		},

		'POST /requests/{id}/unassign'(ctx) {
			const request = requestOf(ctx);
			if (!OPEN.has(request.status))
				throw bad(
					'REQ_003',
					`Request ${request.id} is ${request.status} and cannot be unassigned.`,
				);
			request.assignee = null;
			touchRequest(request);
			return ok(request);
		},

		'POST /requests/{id}/schedule'(ctx) {
			const request = requestOf(ctx);
			requireStatus(request, ['pending'], 'REQ_003', 'scheduled');
			const planned = bodyOf(ctx).planned_date;
			if (!nonEmpty(planned) || Number.isNaN(parseDateValue(String(planned))))
				throw bad('REQ_004', 'planned_date (ISO 8601) is required to schedule a request.');
			request.planned_date = connectDate(parseDateValue(String(planned)));
			touchRequest(request, 'scheduled');
			return ok(request);
		},

		'POST /requests/{id}/revoke'(ctx) {
			const request = requestOf(ctx);
			requireStatus(request, ['scheduled'], 'REQ_003', 'revoked');
			const reason = bodyOf(ctx).reason;
			if (!nonEmpty(reason)) throw bad('REQ_004', 'reason is required to revoke a request.');
			request.reason = String(reason);
			touchRequest(request, 'revoking');
			return ok(request);
		},

		'POST /requests/{id}/confirm'(ctx) {
			const request = requestOf(ctx);
			requireStatus(request, ['revoking', 'draft'], 'REQ_003', 'confirmed');
			touchRequest(request, request.status === 'revoking' ? 'revoked' : 'pending');
			return ok(request);
		},

		'GET /requests/{id}/render': (ctx) => ({
			status: 200,
			body: render(requestOf(ctx)),
			headers: { 'content-type': 'text/markdown; charset=utf-8' },
		}),
	};

	function tierAccountFromBody(data, type) {
		if (!data) return null;
		if (data.id && state.tierAccounts.has(data.id)) return state.tierAccounts.get(data.id);
		const at = now();
		const account = {
			id: ids.tierAccount(),
			version: 1,
			name: String(data.name || 'New customer'),
			type,
			db: 'US',
			external_id: data.external_id === undefined ? '' : String(data.external_id),
			external_uid: data.external_uid || ids.uuid(),
			parent: null,
			owner: meta.providerRef,
			scopes: [type === 'reseller' ? 'tier1' : 'customer'],
			hub: { id: meta.hubs[0].id, name: meta.hubs[0].name },
			tax_id: data.tax_id || '',
			environment: 'production',
			events: { created: { at }, updated: { at } },
			contact_info: data.contact_info || null,
		};
		Object.defineProperty(account, 'tierRef', {
			enumerable: false,
			value: Object.freeze({
				id: account.id,
				external_id: account.external_id,
				external_uid: account.external_uid,
				name: account.name,
				tax_id: account.tax_id,
				contact_info: account.contact_info,
			}),
		});
		state.tierAccounts.set(account.id, account);
		return account;
	}

	// ------------------------------------------------------------------ tier config requests

	function touchTcr(tcr, status) {
		if (status) tcr.status = status;
		tcr.events.updated = { at: now(), by: meta.actor };
		const config = tcr.configuration;
		if (status === 'approved') {
			config.status = 'active';
			config.params = tcr.params.map((p) => ({ ...p }));
		}
		if (
			status &&
			!['pending', 'inquiring', 'draft', 'tiers_setup'].includes(status) &&
			config.open_request &&
			config.open_request.id === tcr.id
		)
			config.open_request = null;
		if (status === 'pending' || status === 'inquiring') config.open_request = { id: tcr.id };
		config.events.updated = { at: now() };
	}

	function addTierConfigRequest(spec = {}) {
		const config = spec.configId
			? find(state.tierConfigs, spec.configId, 'Tier config')
			: [...state.tierConfigs.values()].find((c) => !c.open_request);
		if (!config) throw new Error('No tier configuration without an open request; pass configId.');
		const product = state.products.get(config.product.id);
		const at = spec.created || now();
		const definitions = state.parameters.get(product.id).filter((p) => p.scope === 'tier1');
		const values = spec.params || {};
		const params = definitions.map((d) => {
			const previous = config.params.find((p) => p.id === d.name);
			const value =
				d.name in values
					? values[d.name]
					: spec.emptyRequired && d.constraints.required
						? ''
						: previous
							? previous.value
							: '';
			return requestParam(d, value === null ? '' : String(value), '');
		});
		const tcr = {
			id: ids.tierConfigRequest(),
			type: spec.type || 'update',
			status: spec.status || 'pending',
			configuration: config,
			parent_configuration: null,
			events: { created: { at }, updated: { at } },
			params,
			assignee: null,
			template: null,
			activation: null,
			notes: spec.notes || '',
			reason: '',
			environment: config.connection.type,
			marketplace: config.marketplace,
			contract: config.contract,
			tiers: {
				tier1: {
					id: config.account.id,
					name: config.account.name,
					external_id: config.account.external_id,
				},
			},
		};
		state.tierConfigRequests.set(tcr.id, tcr);
		touchTcr(tcr, tcr.status);
		return tcr;
	}

	const tierRoutes = {
		'GET /tier/config-requests': (ctx) => list(ctx, state.tierConfigRequests),
		'GET /tier/config-requests/{id}': (ctx) => ok(tcrOf(ctx)),

		'POST /tier/config-requests'(ctx) {
			const body = bodyOf(ctx);
			const configId = body.configuration && body.configuration.id;
			const config = configId && state.tierConfigs.get(configId);
			if (!config)
				throw bad(
					'TCR_004',
					`configuration.id ${configId || '(missing)'} is not a tier configuration.`,
				);
			if (config.open_request)
				throw bad(
					'TCR_003',
					`Tier configuration ${config.id} already has the open request ${config.open_request.id}.`,
				);
			const definitions = state.parameters
				.get(config.product.id)
				.filter((p) => p.scope === 'tier1');
			const values = {};
			for (const param of body.params || []) {
				if (!definitions.some((d) => d.name === param.id))
					throw bad(
						'TCR_006',
						`Parameter ${param.id} is not a tier parameter of product ${config.product.id}.`,
					);
				values[param.id] = param.value;
			}
			const tcr = addTierConfigRequest({
				configId: config.id,
				type: body.type || 'update',
				params: values,
				notes: body.notes || '',
			});
			conversationFor(tcr.id);
			return created(tcr);
		},

		'PUT /tier/config-requests/{id}'(ctx) {
			const tcr = tcrOf(ctx);
			requireStatus(tcr, ['pending', 'inquiring', 'draft', 'tiers_setup'], 'TCR_003', 'updated');
			const body = bodyOf(ctx);
			for (const change of body.params || []) {
				if (!tcr.params.some((p) => p.id === change.id))
					throw bad('TCR_006', `Parameter ${change.id} is not a parameter of ${tcr.id}.`);
			}
			for (const change of body.params || []) {
				const param = tcr.params.find((p) => p.id === change.id);
				if (change.value !== undefined)
					param.value = change.value === null ? '' : String(change.value);
				if (change.value_error !== undefined)
					param.value_error = change.value_error === null ? '' : String(change.value_error);
				if (change.structured_value !== undefined) param.structured_value = change.structured_value;
			}
			if (body.notes !== undefined) tcr.notes = body.notes === null ? '' : String(body.notes);
			touchTcr(tcr);
			return ok(tcr);
		},

		'POST /tier/config-requests/{id}/approve'(ctx) {
			const tcr = tcrOf(ctx);
			requireStatus(tcr, ['pending', 'inquiring'], 'TCR_003', 'approved');
			const body = bodyOf(ctx);
			const templateId = body.template && body.template.id;
			if (!nonEmpty(templateId)) throw bad('TCR_004', 'template.id is required.');
			const scope = `tier${tcr.configuration.tier_level}`;
			const template = templateFor(
				tcr.configuration.product.id,
				templateId,
				scope,
				'fulfillment',
				'TCR_002',
			);
			if (
				body.template.effective_date !== undefined &&
				Number.isNaN(parseDateValue(String(body.template.effective_date)))
			)
				throw bad(
					'TCR_004',
					`template.effective_date ${body.template.effective_date} is not an ISO 8601 date-time.`,
				);
			const empty = emptyRequired(tcr.params);
			if (empty.length)
				throw bad('TCR_005', 'There are empty required parameters.', { empty_params: empty });
			tcr.template = {
				id: template.id,
				name: template.name,
				representation: renderTemplate(template.body, tcr.params),
			};
			tcr.configuration.template = { id: template.id, name: template.name };
			for (const param of tcr.params) param.value_error = '';
			touchTcr(tcr, 'approved');
			note(tcr.id, 'Tier config request was approved.');
			return ok(tcr);
		},

		'POST /tier/config-requests/{id}/fail'(ctx) {
			const tcr = tcrOf(ctx);
			requireStatus(tcr, ['pending', 'inquiring'], 'TCR_003', 'failed');
			const reason = bodyOf(ctx).reason;
			if (!nonEmpty(reason))
				throw bad('TCR_004', 'reason is required to fail a tier config request.');
			tcr.reason = String(reason);
			touchTcr(tcr, 'failed');
			note(tcr.id, `Tier config request failed: ${tcr.reason}`, 'message');
			return noContent();
		},

		'POST /tier/config-requests/{id}/inquire'(ctx) {
			const tcr = tcrOf(ctx);
			requireStatus(tcr, ['pending'], 'TCR_003', 'inquired');
			touchTcr(tcr, 'inquiring');
			return noContent();
		},

		'POST /tier/config-requests/{id}/pend'(ctx) {
			const tcr = tcrOf(ctx);
			requireStatus(tcr, ['inquiring'], 'TCR_003', 'pended');
			touchTcr(tcr, 'pending');
			return noContent();
		},

		'POST /tier/config-requests/{id}/assign'(ctx) {
			const tcr = tcrOf(ctx);
			requireStatus(tcr, ['pending', 'inquiring', 'draft', 'tiers_setup'], 'TCR_003', 'assigned');
			tcr.assignee = assignee(bodyOf(ctx), 'TCR_004');
			touchTcr(tcr);
			return noContent();
		},

		'POST /tier/config-requests/{id}/unassign'(ctx) {
			const tcr = tcrOf(ctx);
			requireStatus(tcr, ['pending', 'inquiring', 'draft', 'tiers_setup'], 'TCR_003', 'unassigned');
			tcr.assignee = null;
			touchTcr(tcr);
			return noContent();
		},

		'GET /tier/config-requests/{id}/render'(ctx) {
			const tcr = tcrOf(ctx);
			const template = tcr.template && state.templates.get(tcr.template.id);
			if (!template)
				throw bad('TCR_003', `Tier config request ${tcr.id} has no template to render yet.`);
			return {
				status: 200,
				body: renderTemplate(template.body, tcr.params),
				headers: { 'content-type': 'text/markdown; charset=utf-8' },
			};
		},

		'GET /tier/configs': (ctx) => list(ctx, state.tierConfigs),
		'GET /tier/configs/{id}': (ctx) => ok(find(state.tierConfigs, ctx.params.id, 'Tier config')),
		'GET /tier/configs/{id}/render'(ctx) {
			const config = find(state.tierConfigs, ctx.params.id, 'Tier config');
			const template = config.template && state.templates.get(config.template.id);
			if (!template)
				throw bad('TCR_003', `Tier config ${config.id} has no template to render yet.`);
			return {
				status: 200,
				body: renderTemplate(template.body, config.params),
				headers: { 'content-type': 'text/markdown; charset=utf-8' },
			};
		},

		'GET /tier/accounts': (ctx) => list(ctx, state.tierAccounts),
		'GET /tier/accounts/{id}': (ctx) => ok(find(state.tierAccounts, ctx.params.id, 'Tier account')),
		'GET /tier/accounts/{account_id}/versions': (ctx) =>
			list(ctx, [find(state.tierAccounts, ctx.params.account_id, 'Tier account')]),
		'GET /tier/accounts/{account_id}/versions/{version}'(ctx) {
			const account = find(state.tierAccounts, ctx.params.account_id, 'Tier account');
			if (String(account.version) !== String(ctx.params.version))
				throw fail(
					404,
					'NFD_001',
					`Version ${ctx.params.version} of tier account ${account.id} not found.`,
				);
			return ok(account);
		},

		'GET /tier/account-requests': (ctx) => list(ctx, state.tierAccountRequests),
		'GET /tier/account-requests/{id}': (ctx) =>
			ok(find(state.tierAccountRequests, ctx.params.id, 'Tier account request')),
		'POST /tier/account-requests'(ctx) {
			const body = bodyOf(ctx);
			const account = body.account && body.account.id && state.tierAccounts.get(body.account.id);
			if (!account) throw bad('TAR_004', 'account.id of an existing tier account is required.');
			const product =
				body.product && body.product.id ? state.products.get(body.product.id) : meta.products[0];
			if (!product) throw bad('TAR_004', `Product ${body.product.id} not found.`);
			const seq =
				[...state.tierAccountRequests.keys()].filter((k) =>
					k.startsWith(`TAR-${account.id.slice(3)}-`),
				).length + 1;
			const at = now();
			const tar = {
				id: `TAR-${account.id.slice(3)}-${String(seq).padStart(3, '0')}`,
				type: 'update',
				status: 'pending',
				account: { ...account, version: account.version + 1 },
				vendor: meta.vendorRef,
				provider: meta.providerRef,
				product: { id: product.id, icon: product.icon, name: product.name, status: product.status },
				reason: null,
				events: { created: { at }, updated: { at } },
			};
			state.tierAccountRequests.set(tar.id, tar);
			return created(tar);
		},
		'POST /tier/account-requests/{id}/accept'(ctx) {
			const tar = find(state.tierAccountRequests, ctx.params.id, 'Tier account request');
			requireStatus(tar, ['pending'], 'TAR_003', 'accepted');
			tar.status = 'accepted';
			tar.events.updated = { at: now() };
			return ok(tar);
		},
		'POST /tier/account-requests/{id}/ignore'(ctx) {
			const tar = find(state.tierAccountRequests, ctx.params.id, 'Tier account request');
			requireStatus(tar, ['pending'], 'TAR_003', 'ignored');
			const reason = bodyOf(ctx).reason;
			tar.status = 'ignored';
			tar.reason = nonEmpty(reason) ? String(reason) : null;
			tar.events.updated = { at: now() };
			return ok(tar);
		},
	};

	// ------------------------------------------------------------------ conversations

	function conversationOf(ctx, name) {
		const id = ctx.params[name];
		const conversation = state.conversations.get(id) || conversationFor(id);
		if (!conversation) throw fail(404, 'NFD_001', `Conversation ${id} not found.`);
		return conversation;
	}

	const conversationRoutes = {
		'GET /conversations'(ctx) {
			// instance ids named in the query get their (lazily created) conversation first
			for (const match of ctx.rawQuery.matchAll(/(?:PR|TCR|TAR|UF|LST|AS)-[\dA-Za-z-]+/g))
				conversationFor(match[0]);
			return list(ctx, state.conversations);
		},
		'GET /conversations/{id}': (ctx) => ok(conversationView(conversationOf(ctx, 'id'), true)),
		'GET /conversations/{conversation_id}/messages': (ctx) =>
			list(ctx, conversationOf(ctx, 'conversation_id').messages),
		'POST /conversations/{conversation_id}/messages'(ctx) {
			const conversation = conversationOf(ctx, 'conversation_id');
			const body = bodyOf(ctx);
			if (typeof body.text !== 'string' || body.text.trim() === '')
				throw bad('CO_001', 'text must not be empty.');
			if (body.text.length > opts.maxMessageLength)
				throw bad(
					'CO_002',
					`text is ${body.text.length} characters long; the maximum is ${opts.maxMessageLength}.`,
				);
			const message = addMessage(conversation, { text: body.text, type: body.type || 'message' });
			return created(message);
		},
	};

	// ------------------------------------------------------------------ webhooks

	function webhookBody(body) {
		const product = state.products.get(body.product_id);
		if (!product) throw bad('WH_001', `Product ${body.product_id} not found.`);
		let url;
		try {
			url = new URL(body.external_url);
		} catch {
			url = null;
		}
		if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:'))
			throw bad('WH_002', `external_url ${body.external_url} is not an http(s) URL.`);
		if (String(body.label).length > 100)
			throw bad('WH_003', 'label must be at most 100 characters.');
		if (String(body.jwt_secret).length > 100)
			throw bad('WH_003', 'jwt_secret must be at most 100 characters.');
	}

	async function deliver(webhook) {
		const triggeredAt = now();
		const body = {
			webhook_id: webhook.id,
			webhook_name: webhook.label,
			object_class: webhook.object_class,
			account_id: meta.vendor.id,
			product_id: webhook.product.id,
			api_url: apiUrlRef.value,
			triggered_at: triggeredAt,
			last_success_at: webhook.last_success ? webhook.last_success.time : null,
			last_failure_at: webhook.last_failure ? webhook.last_failure.time : null,
			processing_timeout: 600,
			data: webhook.data || {},
		};
		const iat = Math.floor(Date.now() / 1000);
		const token = signJwt(webhook.jwt_secret, { webhook_id: webhook.id, iat, exp: iat + 600 });
		const headers = { ...(webhook.headers || {}) };
		for (const name of Object.keys(headers))
			if (/^(authentication|content-type)$/i.test(name)) delete headers[name];
		headers['content-type'] = 'application/json';
		headers.authentication = `Bearer ${token}`;
		const record = {
			webhookId: webhook.id,
			url: webhook.external_url,
			headers,
			body,
			token,
			ts: Date.now(),
			status: null,
			error: null,
		};
		const started = Date.now();
		if (!isLoopbackUrl(webhook.external_url)) {
			record.error = 'not delivered: the fake only calls loopback URLs';
		} else {
			try {
				const response = await fetch(webhook.external_url, {
					method: 'POST',
					headers,
					body: JSON.stringify(body),
					signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS),
				});
				record.status = response.status;
				record.responseBody = await response.text();
			} catch (error) {
				record.error = error.message;
			}
		}
		const success = record.status !== null && record.status >= 200 && record.status < 300;
		const outcome = {
			time: triggeredAt,
			response: {},
			duration: Date.now() - started,
			status: success ? 'success' : 'failure',
			status_code: record.status,
			errors: record.error || '',
		};
		webhook.stats.events++;
		webhook.stats.triggers++;
		webhook.last_event = triggeredAt;
		if (success) {
			webhook.stats.success_triggers++;
			webhook.stats.failure_since_last_success = 0;
			webhook.last_success = outcome;
		} else {
			webhook.stats.failure_triggers++;
			webhook.stats.failure_since_last_success++;
			webhook.last_failure = outcome;
		}
		fake.deliveries.push(record);
		return record;
	}

	const webhookRoutes = {
		'GET /notifications/webhooks': (ctx) => list(ctx, state.webhooks),
		'GET /notifications/webhooks/{id}': (ctx) => ok(find(state.webhooks, ctx.params.id, 'Webhook')),
		'POST /notifications/webhooks'(ctx) {
			const body = bodyOf(ctx);
			webhookBody(body);
			const webhook = meta.buildWebhook(body, Date.now());
			state.webhooks.set(webhook.id, webhook);
			return created(webhook);
		},
		'PUT /notifications/webhooks/{id}'(ctx) {
			const webhook = find(state.webhooks, ctx.params.id, 'Webhook');
			const body = bodyOf(ctx);
			webhookBody(body);
			const product = state.products.get(body.product_id);
			Object.assign(webhook, {
				type: body.type || webhook.type,
				object_class: body.object_class,
				label: body.label,
				active: body.active,
				external_url: body.external_url,
				jwt_secret: body.jwt_secret,
				description: body.description,
				http_method: body.http_method,
				product: { id: product.id, name: product.name, icon: product.icon },
				data: body.data || {},
				headers: body.headers || {},
				modified_at: now(),
			});
			return ok(webhook);
		},
		'DELETE /notifications/webhooks/{id}'(ctx) {
			const webhook = find(state.webhooks, ctx.params.id, 'Webhook');
			state.webhooks.delete(webhook.id);
			return noContent();
		},
		async 'POST /notifications/webhooks/{id}/trigger'(ctx) {
			const webhook = find(state.webhooks, ctx.params.id, 'Webhook');
			await deliver(webhook);
			return { status: 200 }; // the spec declares 200 without a body
		},
	};

	// ------------------------------------------------------------------ catalogue and directory

	const productChild = (map) => (ctx) => {
		const product = productOf(ctx);
		return list(ctx, map.get(product.id) || []);
	};
	const catalogueRoutes = {
		'GET /products': (ctx) => list(ctx, state.products),
		'GET /products/{product_id}': (ctx) => ok(productOf(ctx)),
		'GET /products/{product_product_id}/items': productChild(state.items),
		'GET /products/{product_product_id}/items/{verbose_id}'(ctx) {
			const product = productOf(ctx);
			const item = state.items
				.get(product.id)
				.find((i) => i.id === ctx.params.verbose_id || i.local_id === ctx.params.verbose_id);
			if (!item) throw fail(404, 'NFD_001', `Item ${ctx.params.verbose_id} not found.`);
			return ok(item);
		},
		'GET /products/{product_product_id}/parameters': productChild(state.parameters),
		'GET /products/{product_product_id}/parameters/{parameter__verbose_id}'(ctx) {
			const product = productOf(ctx);
			const id = ctx.params.parameter__verbose_id;
			const parameter = state.parameters.get(product.id).find((p) => p.id === id || p.name === id);
			if (!parameter) throw fail(404, 'NFD_001', `Parameter ${id} not found.`);
			return ok(parameter);
		},
		'GET /products/{product_product_id}/templates': (ctx) =>
			list(ctx, templatesOfProduct(productOf(ctx).id)),
		'GET /products/{product_product_id}/templates/{id}'(ctx) {
			const product = productOf(ctx);
			const template = state.templates.get(ctx.params.id);
			if (!template || template.productId !== product.id)
				throw fail(404, 'NFD_001', `Template ${ctx.params.id} not found.`);
			return ok(template);
		},
		'GET /products/{product_product_id}/connections': (ctx) =>
			list(ctx, meta.connectionsOf.get(productOf(ctx).id)),
		'GET /products/{product_product_id}/connections/{id}'(ctx) {
			const product = productOf(ctx);
			const connection = state.connections.get(ctx.params.id);
			if (!connection || connection.productId !== product.id)
				throw fail(404, 'NFD_001', `Connection ${ctx.params.id} not found.`);
			return ok(connection);
		},
		'GET /products/{product_product_id}/versions': (ctx) => list(ctx, [productOf(ctx)]),
		'GET /products/{product_product_id}/versions/{version}'(ctx) {
			const product = productOf(ctx);
			if (String(product.version) !== String(ctx.params.version))
				throw fail(404, 'NFD_001', `Version ${ctx.params.version} of ${product.id} not found.`);
			return ok(product);
		},
		'GET /assets': (ctx) => list(ctx, state.assets),
		'GET /assets/{id}': (ctx) => ok(find(state.assets, ctx.params.id, 'Asset')),
		'GET /subscriptions/assets': (ctx) => list(ctx, state.subscriptionAssets),
		'GET /subscriptions/assets/{id}': (ctx) =>
			ok(find(state.subscriptionAssets, ctx.params.id, 'Subscription')),
		'GET /marketplaces': (ctx) => list(ctx, state.marketplaces),
		'GET /marketplaces/{id}': (ctx) => ok(find(state.marketplaces, ctx.params.id, 'Marketplace')),
		'GET /hubs': (ctx) => list(ctx, state.hubs),
		'GET /hubs/{id}': (ctx) => ok(find(state.hubs, ctx.params.id, 'Hub')),
		'GET /listings': (ctx) => list(ctx, state.listings),
		'GET /listings/{id}': (ctx) => ok(find(state.listings, ctx.params.id, 'Listing')),
		// the token belongs to the vendor account: that is the account it can list
		'GET /accounts': (ctx) => list(ctx, [meta.vendor]),
		'GET /accounts/{pk}': (ctx) => ok(find(state.accounts, ctx.params.pk, 'Account')),
		'GET /accounts/{account_pk}/users'(ctx) {
			const account = find(state.accounts, ctx.params.account_pk, 'Account');
			return list(
				ctx,
				[...state.users.values()].filter((u) => u.account.id === account.id),
			);
		},
		'GET /accounts/{account_pk}/users/{pk}'(ctx) {
			find(state.accounts, ctx.params.account_pk, 'Account');
			return ok(find(state.users, ctx.params.pk, 'User'));
		},
	};

	const usage = createUsageApi({
		state,
		meta,
		getFake: () => fake,
		helpers: { list, find, bad, ok, created, requireStatus, nonEmpty, bodyOf, now },
	});

	const routes = {
		...requestRoutes,
		...tierRoutes,
		...usage.routes,
		...conversationRoutes,
		...webhookRoutes,
		...catalogueRoutes,
	};

	// ------------------------------------------------------------------ request pipeline

	function authenticate(ctx) {
		const header = ctx.headers.authorization;
		if (header !== `ApiKey ${apiKey}`) {
			throw fail(
				401,
				'AUTH_001',
				header
					? 'The API token is not valid.'
					: 'Authorization header with an API token is required.',
			);
		}
	}

	function rateLimit() {
		if (!fake.rateLimit) return;
		const verdict = limiter.take(fake.rateLimit);
		if (!verdict.allowed) {
			const headers = fake.rateLimit.retryAfter
				? { 'retry-after': String(verdict.retryAfterSeconds) }
				: {};
			throw new HttpError(429, errorBody('RATE_001', 'Too many requests.'), headers);
		}
	}

	async function handle(ctx) {
		const { rawQuery, rawBuffer } = takeRaw(ctx);
		if (!ctx.path.startsWith(`${API_ROOT}/`)) {
			const file = usage.file(ctx);
			if (file) return file;
			fake.violations.push({
				method: ctx.method,
				path: ctx.path,
				errors: [`${ctx.method} ${ctx.path} is not a Connect API path`],
			});
			throw fail(404, 'NFD_001', `No endpoint ${ctx.method} ${ctx.path}.`);
		}
		// List operations: filters are RQL, checked below against the declared filters; only limit and
		// offset go to openapi-backend. Other operations: every plain key=value pair.
		const plainQuery = simpleQuery(rawQuery);
		const paging = Object.fromEntries(
			Object.entries(plainQuery).filter(([key]) => key === 'limit' || key === 'offset'),
		);
		const validate = (query) =>
			validator.validate({
				method: ctx.method,
				path: ctx.path,
				query,
				headers: ctx.headers,
				body: ctx.body,
				rawBody: ctx.rawBody,
			});
		let validation = validate(paging);
		if (
			validation.operation &&
			!metaOf(validation.operation).isList &&
			Object.keys(plainQuery).length > Object.keys(paging).length
		) {
			validation = validate(plainQuery);
		}
		const errors = [...validation.errors];
		let failure = null;
		if (errors.length) {
			failure = {
				status: validation.status,
				code:
					validation.status === 404 ? 'NFD_001' : validation.status === 415 ? 'VAL_002' : 'VAL_001',
			};
		}
		let rql = null;
		const opMeta = validation.operation ? metaOf(validation.operation) : null;
		if (opMeta && opMeta.isList) {
			try {
				rql = analyzeRql(parseRql(rawQuery), {
					filters: opMeta.filters,
					aliases: ALIASES[opMeta.key],
					searchFn,
				});
				if (rql.search !== undefined && !opMeta.search) {
					rql.problems.push({
						code: 'RQL_001',
						message: `search is not supported by ${opMeta.key} (Connect ignores it).`,
					});
				}
				for (const problem of rql.problems) errors.push(problem.message);
				if (rql.problems.length && !failure) failure = { status: 400, code: rql.problems[0].code };
			} catch (error) {
				if (!(error instanceof RqlError)) throw error;
				errors.push(error.message);
				if (!failure) failure = { status: 400, code: error.code };
			}
		}
		if (errors.length) fake.violations.push({ method: ctx.method, path: ctx.path, errors });

		rateLimit();
		authenticate(ctx);
		if (failure) throw fail(failure.status, failure.code, errors);
		const route = routes[opMeta.key];
		if (!route)
			throw fail(501, 'SYS_501', `${opMeta.key} is not implemented by the fake Connect server.`);
		return route({ ...ctx, params: validation.params, rql, rawQuery, rawBuffer });
	}

	fake = await startFakeServer({
		handle,
		latencyMs: opts.latencyMs,
		port: opts.port,
		maxLog: opts.maxLog,
		errorBody: (status) =>
			errorBody(
				status === 429
					? 'RATE_001'
					: status >= 500
						? 'SYS_001'
						: status === 404
							? 'NFD_001'
							: status === 401
								? 'AUTH_001'
								: 'VAL_001',
				http.STATUS_CODES[status] || 'Error',
			),
		onReset() {
			fake.deliveries.length = 0;
			fake.uploads.length = 0;
			limiter.reset();
		},
	});
	apiUrlRef.value = `${fake.url}${API_ROOT}`;
	for (const webhook of state.webhooks.values()) webhook.api_url = apiUrlRef.value;

	Object.assign(fake, {
		/** API base URL: fake.url + '/public/v1' */
		apiUrl: apiUrlRef.value,
		/** The accepted token (without the "ApiKey " prefix). */
		apiKey,
		/** Live state: Maps keyed by id (requests, assets and subscriptionAssets build seeded values on first access). */
		state,
		rateLimit: opts.rateLimit,
		/** Every usage-file upload: { usageFileId, filename, contentType, buffer }. */
		uploads: [],
		/** Webhook deliveries: { webhookId, url, headers, body, token, ts, status, error, responseBody }. */
		deliveries: [],
		/** Seed summary ids handy in tests. */
		ids: seedSummary(),
		/** Startup timings in ms (spec load is shared by all fakes of the process). */
		timings: { spec: { ...specStats }, startMs: Math.round(performance.now() - startedAt) },
		/**
		 * Connect notifying: POST a delivery to every active event webhook of that object class and
		 * product. Resolves to [{ webhookId, url, status, error }].
		 */
		async emit(objectClass, productId) {
			const targets = [...state.webhooks.values()].filter(
				(w) =>
					w.active &&
					w.object_class === objectClass &&
					w.product.id === productId &&
					(w.type || 'event') === 'event',
			);
			const results = await Promise.all(targets.map((w) => deliver(w)));
			return results.map(({ webhookId, url, status, error }) => ({
				webhookId,
				url,
				status,
				error,
			}));
		},
		signJwt,
		/** Add a fulfillment request (default: pending purchase of the first product). Returns it. */
		addRequest,
		/** Add a tier config request (default: pending update of the first config without an open request). */
		addTierConfigRequest,
		/** Add a usage file (draft; `workbook` Buffer is processed as if uploaded). */
		addUsageFile: usage.addUsageFile,
		/** Conversation of an object (created on first use). */
		conversationFor: (instanceId) => conversationFor(instanceId),
	});
	return fake;

	function seedSummary() {
		const requests = [...state.requests.keys()].slice(0, 8);
		return {
			vendor: meta.vendor.id,
			provider: meta.provider.id,
			users: [...state.users.keys()],
			products: meta.products.map((p) => p.id),
			usageProducts: meta.products.filter((p) => p.capabilities.ppu).map((p) => p.id),
			marketplaces: meta.marketplaces.map((m) => m.id),
			contracts: [...state.contracts.keys()],
			hubs: meta.hubs.map((h) => h.id),
			/** first seeded requests: pending purchase (filled), pending purchase (empty required),
			 * inquiring purchase, approved purchase, failed purchase, then approved+pending change */
			requests,
			tierConfigRequests: [...state.tierConfigRequests.keys()],
			tierAccountRequests: [...state.tierAccountRequests.keys()],
			usageFiles: [...state.usageFiles.keys()],
		};
	}
}

module.exports = {
	API_ROOT,
	ERROR_CODES,
	MAX_LIMIT,
	MAX_MESSAGE_LENGTH,
	applyErrata,
	loadConnectSpec,
	signJwt,
	specStats,
	startFakeConnect,
};
