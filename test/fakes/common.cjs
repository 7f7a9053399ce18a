'use strict';

/**
 * Shared plumbing for the fake vendor API servers (Pax8 now; CloudBlue Connect and NewStore later).
 *
 * - startFakeServer(): HTTP server on 127.0.0.1 with a random port, JSON body reading, request log,
 *   latency, fault injection (status / drop / delay, before or after the real handler), and a
 *   seeded probabilistic fault mode (fake.chaos()) for fault-matrix runs.
 * - createSpecValidator(): validates requests against an OpenAPI 3.x document with openapi-backend.
 * - createPrng(): small seeded PRNG (mulberry32) with helpers for deterministic seed data.
 * - createRateLimiter(): sliding-window call counter.
 */

const http = require('node:http');
const fs = require('node:fs');
const path = require('node:path');
const { OpenAPIBackend } = require('openapi-backend');

// ---------------------------------------------------------------------------------------------
// Files

/** Folder holding `specs/` and `reference/`: a sibling of the repository, or $SHARED_DIR. */
function sharedDir() {
	return process.env.SHARED_DIR
		? path.resolve(process.env.SHARED_DIR)
		: path.resolve(__dirname, '../../../shared');
}

function readSpecJson(...parts) {
	return JSON.parse(fs.readFileSync(path.join(sharedDir(), 'specs', ...parts), 'utf8'));
}

// ---------------------------------------------------------------------------------------------
// Seeded PRNG

const HEX_BYTES = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
const HEX_CHARS = Buffer.from('0123456789abcdef', 'latin1');
const UUID_BYTES = Buffer.alloc(36);

/** Deterministic PRNG (mulberry32). Same seed, same sequence. */
/** The mulberry32 step: a function answering the next 32-bit value; `.reseed(v)` restarts it. */
function mulberry32(seed) {
	let s = (Number(seed) || 0) >>> 0;
	const next32 = () => {
		s = (s + 0x6d2b79f5) >>> 0;
		let t = s;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return (t ^ (t >>> 14)) >>> 0;
	};
	next32.reseed = (value) => {
		s = value >>> 0;
	};
	return next32;
}

function createPrng(seed) {
	const next32 = mulberry32(seed);
	const next = () => next32() / 4294967296;
	const hex8 = () => {
		const n = next32();
		return (
			HEX_BYTES[n >>> 24] +
			HEX_BYTES[(n >>> 16) & 0xff] +
			HEX_BYTES[(n >>> 8) & 0xff] +
			HEX_BYTES[n & 0xff]
		);
	};
	return {
		next,
		/** Integer in [min, max]. */
		int: (min, max) => min + Math.floor(next() * (max - min + 1)),
		chance: (p) => next() < p,
		pick: (list) => list[Math.floor(next() * list.length)],
		/** entries: [[value, weight], ...] */
		weighted(entries) {
			const total = entries.reduce((sum, [, w]) => sum + w, 0);
			let r = next() * total;
			for (const [value, w] of entries) {
				r -= w;
				if (r < 0) return value;
			}
			return entries[entries.length - 1][0];
		},
		shuffle(list) {
			const out = list.slice();
			for (let i = out.length - 1; i > 0; i--) {
				const j = Math.floor(next() * (i + 1));
				[out[i], out[j]] = [out[j], out[i]];
			}
			return out;
		},
		hex: (length) => {
			let out = '';
			while (out.length < length) out += hex8();
			return out.slice(0, length);
		},
		/** RFC 4122 version-4 UUID built from the PRNG stream. */
		uuid() {
			// written into a byte buffer so the result is one flat string (cheap to keep 100k of them)
			let pos = 0;
			for (let word = 0; word < 4; word++) {
				const n = next32();
				for (let shift = 28; shift >= 0; shift -= 4) {
					if (pos === 8 || pos === 13 || pos === 18 || pos === 23) UUID_BYTES[pos++] = 0x2d; // '-'
					const nibble = (n >>> shift) & 0xf;
					// position 14: version 4; position 19: variant bits 10xx
					UUID_BYTES[pos] = HEX_CHARS[pos === 14 ? 4 : pos === 19 ? 8 | (nibble & 3) : nibble];
					pos++;
				}
			}
			return UUID_BYTES.toString('latin1');
		},
	};
}

// ---------------------------------------------------------------------------------------------
// Errors and small helpers

/** Thrown by handlers to answer with a given status/body. */
class HttpError extends Error {
	constructor(status, body, headers = {}) {
		super(`HTTP ${status}`);
		this.status = status;
		this.body = body;
		this.headers = headers;
	}
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Query string to a plain object; repeated keys become arrays. */
function queryToObject(searchParams) {
	const out = {};
	for (const [key, value] of searchParams) {
		if (key in out) out[key] = [].concat(out[key], value);
		else out[key] = value;
	}
	return out;
}

/** Media type without parameters ("application/json; charset=utf-8" -> "application/json"). */
function mediaType(headers) {
	return String(headers['content-type'] || '')
		.split(';')[0]
		.trim()
		.toLowerCase();
}

/** Sliding-window counter of admitted calls; rejected calls do not consume the window. */
function createRateLimiter() {
	let hits = [];
	return {
		/** @returns {{allowed: true} | {allowed: false, retryAfterSeconds: number}} */
		take({ limit, windowMs }, now = Date.now()) {
			while (hits.length && hits[0] <= now - windowMs) hits.shift();
			if (hits.length >= limit) {
				return {
					allowed: false,
					retryAfterSeconds: Math.max(1, Math.ceil((hits[0] + windowMs - now) / 1000)),
				};
			}
			hits.push(now);
			return { allowed: true };
		},
		reset() {
			hits = [];
		},
	};
}

/**
 * Sort a copy of `items` by `accessor(item)` (numbers or strings); nulls always last, stable.
 */
function sortItems(items, accessor, descending) {
	const sign = descending ? -1 : 1;
	const keyed = items.map((item, index) => {
		const key = accessor(item);
		return { key: typeof key === 'string' ? key.toLowerCase() : key, index, item };
	});
	keyed.sort((a, b) => {
		const aNull = a.key === null || a.key === undefined || Number.isNaN(a.key);
		const bNull = b.key === null || b.key === undefined || Number.isNaN(b.key);
		if (aNull || bNull) return aNull === bNull ? a.index - b.index : aNull ? 1 : -1;
		if (a.key < b.key) return -sign;
		if (a.key > b.key) return sign;
		return a.index - b.index;
	});
	return keyed.map((k) => k.item);
}

// ---------------------------------------------------------------------------------------------
// OpenAPI request validation

/** Formats checked strictly; every other format found in a spec is accepted as-is. */
const STRICT_FORMATS = {
	uuid: UUID_RE,
	// same expression as ajv-formats' "fast" email
	email:
		/^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*@(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/i,
	date: isValidDate,
	'date-time': isValidDateTime,
};

function isValidDate(value) {
	const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
	if (!m) return false;
	const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
	const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
	return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth;
}

/** RFC 3339 date-time: date, "T", time, mandatory zone ("Z" or "+hh:mm"). */
function isValidDateTime(value) {
	const m =
		/^(\d{4}-\d{2}-\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-](\d{2}):(\d{2}))$/.exec(
			value,
		);
	if (!m || !isValidDate(m[1])) return false;
	const [hour, minute, second] = [Number(m[2]), Number(m[3]), Number(m[4])];
	const zoneOk = m[6].toUpperCase() === 'Z' || (Number(m[7]) < 24 && Number(m[8]) < 60);
	return hour < 24 && minute < 60 && second < 61 && zoneOk;
}

function collectFormats(node, found = new Set()) {
	if (Array.isArray(node)) node.forEach((child) => collectFormats(child, found));
	else if (node && typeof node === 'object') {
		for (const [key, value] of Object.entries(node)) {
			if (key === 'format' && typeof value === 'string') found.add(value);
			else collectFormats(value, found);
		}
	}
	return found;
}

/**
 * openapi-backend only validates operations that have an operationId. Operations without one get
 * "METHOD /path" (e.g. "GET /companies/{companyId}") so they are validated and can be dispatched.
 */
function ensureOperationIds(definition) {
	for (const [route, item] of Object.entries(definition.paths || {})) {
		for (const [method, operation] of Object.entries(item)) {
			if (
				operation &&
				typeof operation === 'object' &&
				'responses' in operation &&
				!operation.operationId
			) {
				operation.operationId = `${method.toUpperCase()} ${route}`;
			}
		}
	}
}

/**
 * openapi-backend splits every `explode: false` query value at commas, even for primitive schemas
 * (where OpenAPI gives explode no meaning), so `size=10` would fail with "must be integer". Drop the
 * flag from primitive parameters; array and object parameters keep it.
 */
function dropPrimitiveExplode(definition) {
	for (const item of Object.values(definition.paths || {})) {
		const lists = [
			item.parameters,
			...Object.values(item).map((operation) => operation && operation.parameters),
		];
		for (const param of lists.filter(Array.isArray).flat()) {
			const type = param.schema && param.schema.type;
			if (param.explode === false && type !== 'array' && type !== 'object') delete param.explode;
		}
	}
}

function formatAjvError(error) {
	const where =
		error.instancePath.replace(/^\/requestBody/, '/body').replace(/^\//, '') || 'request';
	let message = `${where} ${error.message}`;
	if (error.params && error.params.allowedValues)
		message += `: ${error.params.allowedValues.join(', ')}`;
	return message;
}

/**
 * Request validator for one OpenAPI 3.x document (openapi-backend, quick mode: synchronous
 * dereferencing, validators compiled on first use).
 *
 * @param {object} opts
 * @param {object} opts.definition  parsed OpenAPI document (mutated: operationIds are added)
 * @param {string} opts.apiRoot     path prefix of this API on the fake server, e.g. "/v1"
 * @param {object} [opts.ajvOpts]   extra Ajv options (e.g. { multipleOfPrecision: 6 } for specs with
 *                                  `multipleOf: 0.01`, which plain floating point division fails)
 */
async function createSpecValidator({ definition, apiRoot, ajvOpts = {} }) {
	ensureOperationIds(definition);
	dropPrimitiveExplode(definition);
	const lenientFormats = [...collectFormats(definition)].filter(
		(name) => !(name in STRICT_FORMATS),
	);
	const api = new OpenAPIBackend({
		definition,
		apiRoot,
		quick: true,
		strict: true,
		ajvOpts,
		customizeAjv(ajv) {
			for (const [name, format] of Object.entries(STRICT_FORMATS)) ajv.addFormat(name, format);
			for (const name of lenientFormats) if (!(name in ajv.formats)) ajv.addFormat(name, true);
			return ajv;
		},
	});
	await api.init();
	// openapi-backend rebuilds the flat operation list (lodash chains over the whole document) on
	// every lookup, several times per request: ~10 ms per request for Connect's spec. The
	// document no longer changes after init(), so the list is built once.
	const operations = api.router.getOperations();
	api.router.getOperations = () => operations;

	return {
		/**
		 * Match and validate one request. Query parameters the operation does not declare are dropped
		 * before validation (vendors ignore them); they stay visible in the request log.
		 *
		 * @returns {{operation: object|null, params: object, query: object, errors: string[], status: number}}
		 *   status: suggested HTTP status when errors is non-empty (404 no operation, 415 media type, 400).
		 */
		validate({ method, path: urlPath, query, headers, body, rawBody }) {
			const operation = api.matchOperation({ method, path: urlPath, headers });
			if (!operation) {
				return {
					operation: null,
					params: {},
					query: {},
					errors: [`${method.toUpperCase()} ${urlPath} is not an operation of the specification`],
					status: 404,
				};
			}
			const { params } = api.router.parseRequest({ method, path: urlPath, headers }, operation);
			const declared = new Set(
				(operation.parameters || []).filter((p) => p.in === 'query').map((p) => p.name),
			);
			const knownQuery = Object.fromEntries(Object.entries(query).filter(([k]) => declared.has(k)));
			const result = { operation, params, query: knownQuery, errors: [], status: 400 };

			if (operation.requestBody && rawBody.length > 0) {
				const accepted = Object.keys(operation.requestBody.content || {});
				const type = mediaType(headers);
				if (!accepted.includes(type)) {
					result.errors.push(
						`Content-Type ${type || '(none)'} is not accepted; the specification allows ${accepted.join(', ')}`,
					);
					result.status = 415;
					return result;
				}
			}
			const validation = api.validateRequest(
				{ method, path: urlPath, query: knownQuery, headers, body },
				operation,
			);
			result.errors = (validation.errors || []).map(formatAjvError);
			return result;
		},
	};
}

// ---------------------------------------------------------------------------------------------
// HTTP server with request log, latency and fault injection

async function readBody(req) {
	const chunks = [];
	for await (const chunk of req) chunks.push(chunk);
	return Buffer.concat(chunks);
}

function parseBody(raw, headers) {
	if (raw.length === 0) return undefined;
	if (mediaType(headers).endsWith('json')) {
		try {
			return JSON.parse(raw);
		} catch {
			return raw;
		}
	}
	return raw;
}

function matchesRule(rule, entry) {
	if (rule.method && rule.method.toUpperCase() !== entry.method) return false;
	if (rule.path instanceof RegExp) return rule.path.test(entry.path);
	return !rule.path || entry.path.startsWith(rule.path);
}

// ---------------------------------------------------------------------------------------------
// Chaos mode: seeded probabilistic faults

const CHAOS_KINDS = ['error5xx', 'drop', 'r429', 'r429NoRetryAfter', 'slow'];

function emptyChaosStats() {
	return {
		requests: 0,
		faulted: 0,
		error5xx: 0,
		error5xxAfterHandler: 0,
		drop: 0,
		dropAfterHandler: 0,
		r429: 0,
		r429NoRetryAfter: 0,
		slow: 0,
		/** faults per "METHOD /path-shape" (ids replaced by ':id'). */
		byRoute: {},
	};
}

function normalizeChaos(options) {
	const rates = { error5xx: 0, drop: 0, slow: 0, r429: 0, r429NoRetryAfter: 0, ...(options.rates || {}) };
	const total = CHAOS_KINDS.reduce((sum, kind) => sum + rates[kind], 0);
	if (total > 1) throw new Error(`chaos rates add up to ${total}, more than 1`);
	return {
		seed: Number(options.seed ?? 1) >>> 0,
		rates,
		afterHandlerShare: options.afterHandlerShare ?? 0.5,
		slowMs: options.slowMs ?? 300,
		retryAfterSeconds: options.retryAfterSeconds ?? 1,
		statuses5xx: options.statuses5xx || [500, 502, 503, 504],
		exclude: options.exclude || [],
		scale: options.scale || [],
		/** how often each request (by its fingerprint) came so far */
		seen: new Map(),
	};
}

/** FNV-1a over a string or buffer, 32 bits. */
function fnv1a(value, hash = 0x811c9dc5) {
	const bytes = Buffer.isBuffer(value) ? value : Buffer.from(String(value), 'utf8');
	let h = hash >>> 0;
	for (let i = 0; i < bytes.length; i++) {
		h ^= bytes[i];
		h = Math.imul(h, 0x01000193) >>> 0;
	}
	return h;
}

const pathMatches = (pattern, urlPath) =>
	pattern instanceof RegExp ? pattern.test(urlPath) : urlPath.startsWith(pattern);

/** A route name for the statistics: ids and numbers replaced. */
const routeOf = (entry) =>
	`${entry.method} ${entry.path
		.split('/')
		.map((part) => (/\d/.test(part) && part.length > 6 ? ':id' : part))
		.join('/')}`;

/**
 * The chaos decision for one request: undefined (answer normally) or an inject-like rule.
 * Multipart bodies carry a random boundary: only the parts' content is fingerprinted then.
 */
function chaosDecision(chaos, entry, rawBuffer) {
	if (chaos.exclude.some((pattern) => pathMatches(pattern, entry.path))) return undefined;
	const scaled = chaos.scale.find((s) => pathMatches(s.path, entry.path));
	const factor = scaled ? scaled.factor : 1;
	const boundary = /boundary=("?)([^";]+)\1/i.exec(String(entry.headers['content-type'] || ''));
	const body = boundary ? rawBuffer.toString('latin1').split(boundary[2]).join('') : rawBuffer;
	const fingerprint = fnv1a(body, fnv1a(`${entry.method} ${entry.path}?${entry.rawQuery}`));
	entry.chaosKey = fingerprint;
	const occurrence = chaos.seen.get(fingerprint) || 0;
	chaos.seen.set(fingerprint, occurrence + 1);
	const random = mulberry32(fnv1a(`${chaos.seed}:${fingerprint}:${occurrence}`));
	const draw = () => random() / 4294967296;
	let r = draw();
	let kind;
	for (const candidate of CHAOS_KINDS) {
		const rate = chaos.rates[candidate] * factor;
		if (r < rate) {
			kind = candidate;
			break;
		}
		r -= rate;
	}
	if (!kind) return undefined;
	const afterHandler = draw() < chaos.afterHandlerShare;
	switch (kind) {
		case 'error5xx':
			return { kind, afterHandler, status: chaos.statuses5xx[Math.floor(draw() * chaos.statuses5xx.length)] };
		case 'drop':
			return { kind, afterHandler, drop: true };
		case 'slow':
			return { kind, delayMs: Math.round(chaos.slowMs * (0.5 + draw())) };
		case 'r429':
			return { kind, status: 429, headers: { 'retry-after': String(chaos.retryAfterSeconds) } };
		default:
			return { kind, status: 429 };
	}
}

function countChaos(stats, decision, entry) {
	if (!decision) return;
	stats.faulted++;
	const after = decision.afterHandler && (decision.kind === 'error5xx' || decision.kind === 'drop');
	stats[decision.kind]++;
	if (after) stats[`${decision.kind}AfterHandler`]++;
	const route = routeOf(entry);
	stats.byRoute[route] = (stats.byRoute[route] || 0) + 1;
}

/**
 * Start a fake server.
 *
 * @param {object} opts
 * @param {(ctx) => Promise<{status:number, body?:any, headers?:object}>} opts.handle
 *   ctx: { method, path, query, rawQuery, headers, body, rawBody, rawBuffer, rawUrl, entry }.
 *   May throw HttpError. A Buffer body is sent as it is (binary downloads).
 * @param {(status:number, entry:object) => any} opts.errorBody  body for injected errors without a body
 * @param {number} [opts.latencyMs]  added before every response (mutable later via fake.latencyMs)
 * @param {() => void} [opts.onReset]  extra cleanup for fake.reset()
 * @returns the fake: { url, requests, violations, latencyMs, inject(), reset(), close() }
 */
async function startFakeServer({ handle, errorBody, latencyMs = 0, onReset = () => {}, port = 0, maxLog = Infinity }) {
	let injections = [];
	/** Probabilistic fault mode (see fake.chaos()); null when off. */
	let chaos = null;

	const fake = {
		url: '',
		/**
		 * every request: { method, path, query, headers, body, status, ts, dropped? }; under chaos
		 * also `chaosKey` (the request's fingerprint) and `chaos` (the fault it met, if any)
		 */
		requests: [],
		/** spec violations: { method, path, errors: string[] } */
		violations: [],
		latencyMs,
		/**
		 * Fault injection for the next `times` matching requests.
		 * @param {{method?:string, path?:string|RegExp, times?:number, status?:number, body?:any,
		 *   headers?:object, drop?:boolean, delayMs?:number, afterHandler?:boolean}} rule
		 *   path: prefix of the URL path (e.g. "/v1/orders") or a RegExp.
		 *   afterHandler: run the real handler first (state changes happen), then answer with the
		 *   injected status/body or drop the connection.
		 */
		inject(rule) {
			injections.push({ times: 1, ...rule });
		},
		/** Faults injected by chaos mode, by kind (see fake.chaos()). */
		chaosStats: emptyChaosStats(),
		/**
		 * Seeded probabilistic faults on every request that no inject() rule takes; `null` stops them.
		 * The decision for a request depends only on the seed, the request (method, path, query,
		 * body) and how often that same request came before, not on the order in which concurrent
		 * requests arrive, so a run meets the same faults again.
		 *
		 * @param {null | {seed?: number, rates?: {error5xx?: number, drop?: number, slow?: number,
		 *   r429?: number, r429NoRetryAfter?: number}, afterHandlerShare?: number, slowMs?: number,
		 *   retryAfterSeconds?: number, statuses5xx?: number[],
		 *   exclude?: Array<string|RegExp>, scale?: Array<{path: string|RegExp, factor: number}>}} options
		 *   rates: chance per request of each fault (exclusive; the rest is answered normally):
		 *     error5xx  a 5xx (one of statuses5xx, default 500/502/503/504) with the fake's error body;
		 *     drop      the connection is closed without an answer;
		 *     slow      the answer comes slowMs (default 300) later, otherwise normal;
		 *     r429 / r429NoRetryAfter  429 (not processed) with `Retry-After: retryAfterSeconds`
		 *               (default 1) or without the header.
		 *   afterHandlerShare: share (default 0.5) of the 5xx and drops that happen after the
		 *     handler ran: the request was processed (a write landed), only the answer is lost.
		 *   exclude: paths (prefix or RegExp) never faulted; scale: paths whose rates are multiplied
		 *     by `factor` (e.g. a token endpoint at a lower rate). The first matching entry counts.
		 */
		chaos(options) {
			chaos = options ? normalizeChaos(options) : null;
			if (options) fake.chaosStats = emptyChaosStats();
		},
		reset() {
			injections = [];
			fake.requests.length = 0;
			fake.violations.length = 0;
			onReset();
		},
		close: () =>
			new Promise((resolve) => {
				server.closeAllConnections();
				server.close(() => resolve());
			}),
	};

	function takeInjection(entry) {
		const rule = injections.find((r) => matchesRule(r, entry));
		if (rule && --rule.times <= 0) injections = injections.filter((r) => r !== rule);
		return rule;
	}

	function injectedResponse(rule, entry) {
		return {
			status: rule.status,
			body: rule.body === undefined ? errorBody(rule.status, entry) : rule.body,
			headers: rule.headers,
		};
	}

	async function runHandler(ctx) {
		try {
			return await handle(ctx);
		} catch (error) {
			if (error instanceof HttpError)
				return { status: error.status, body: error.body, headers: error.headers };
			console.error('[fake server] handler crashed:', error);
			return { status: 500, body: errorBody(500, ctx.entry) };
		}
	}

	function send(res, entry, { status, body, headers = {} }) {
		entry.status = status;
		const outHeaders = { ...headers };
		let payload = '';
		if (body !== undefined && status !== 204) {
			payload = typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body);
			if (!Object.keys(outHeaders).some((h) => h.toLowerCase() === 'content-type')) {
				outHeaders['content-type'] = 'application/json';
			}
		}
		res.writeHead(status, outHeaders);
		res.end(payload);
	}

	function drop(req, entry) {
		entry.dropped = true;
		req.socket.destroy();
	}

	async function onRequest(req, res) {
		const url = new URL(req.url, 'http://fake.local');
		const rawBuffer = await readBody(req);
		const rawBody = rawBuffer.toString('utf8');
		const headers = { ...req.headers };
		const entry = {
			method: req.method.toUpperCase(),
			path: url.pathname,
			query: queryToObject(url.searchParams),
			/** the query string as sent (undecoded), e.g. for RQL */
			rawQuery: url.search.slice(1),
			headers,
			body: parseBody(rawBody, headers),
			status: null,
			ts: Date.now(),
		};
		fake.requests.push(entry);
		// Long-running servers (the demo, benchmarks) keep only the newest entries.
		if (fake.requests.length > maxLog) fake.requests.splice(0, fake.requests.length - maxLog);

		let rule = takeInjection(entry);
		if (!rule && chaos) {
			fake.chaosStats.requests++;
			rule = chaosDecision(chaos, entry, rawBuffer);
			countChaos(fake.chaosStats, rule, entry);
			if (rule) entry.chaos = rule.afterHandler && rule.kind !== 'slow' ? `${rule.kind}-after` : rule.kind;
		}
		const delay = fake.latencyMs + ((rule && rule.delayMs) || 0);
		if (delay > 0) await sleep(delay);

		const faultFirst = rule && !rule.afterHandler && (rule.drop || rule.status);
		if (faultFirst) {
			if (rule.drop) return drop(req, entry);
			return send(res, entry, injectedResponse(rule, entry));
		}
		const response = await runHandler({ ...entry, rawBody, rawBuffer, rawUrl: req.url, entry });
		if (rule && rule.afterHandler && rule.drop) return drop(req, entry);
		if (rule && rule.afterHandler && rule.status)
			return send(res, entry, injectedResponse(rule, entry));
		return send(res, entry, response);
	}

	const server = http.createServer((req, res) => {
		onRequest(req, res).catch((error) => {
			console.error('[fake server] request failed:', error);
			if (!res.headersSent) res.writeHead(500);
			res.end();
		});
	});
	await new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(port, '127.0.0.1', resolve);
	});
	fake.url = `http://127.0.0.1:${server.address().port}`;
	return fake;
}

module.exports = {
	HttpError,
	UUID_RE,
	createPrng,
	createRateLimiter,
	createSpecValidator,
	mediaType,
	mulberry32,
	readSpecJson,
	sharedDir,
	sleep,
	sortItems,
	startFakeServer,
};
