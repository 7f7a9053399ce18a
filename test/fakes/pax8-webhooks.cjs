'use strict';

/**
 * Pax8 webhooks API v2 for the fake (mounted at /api/v2 by pax8.cjs): webhooks, topics, topic
 * definitions, delivery logs, test deliveries and events emitted by tests.
 *
 * Deliveries are recorded in fake.deliveries; they are POSTed to the webhook url (with the
 * registered `authorization` string as the Authorization header, as Pax8 does) only when
 * fake.deliverTo is true, and only to loopback URLs.
 */

const { sortItems } = require('./common.cjs');
const { ANCHOR, isoDateTime } = require('./pax8-seed.cjs');

const DELIVERY_TIMEOUT_MS = 10000; // Pax8 gives an endpoint 10 s to answer
// tests never reach the network: real deliveries only go to the local machine
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);
const ALL_OPERATORS = ['EQUALS', 'NOT_EQUALS', 'IN', 'NOT_IN', 'CONTAINS'];
const NUMBER_OPERATORS = ['EQUALS', 'NOT_EQUALS', 'GREATER_THAN', 'LESS_THAN'];
const WEBHOOK_SORT_FIELDS = [
	'displayName',
	'url',
	'active',
	'errorThreshold',
	'lastDeliveryStatus',
	'createdAt',
	'updatedAt',
];
const LOG_SORT_FIELDS = ['createdAt', 'finalStatus', 'webhookName'];
const TOPIC_SORT_FIELDS = ['topic', 'name'];

// [topic, name, description, actions [[action, display name]], conditions [[field, dataType, example]], payload(state)]
const TOPICS = [
	[
		'INVOICE',
		'Invoice',
		'Partner invoice events',
		[['CREATED', 'Invoice Created']],
		[
			['companyId', 'UUID', '3d0617ac-57f6-40e3-951d-e91da47a326b'],
			['status', 'STRING', 'Unpaid'],
			['total', 'NUMBER', '100.00'],
		],
		(state) => {
			const invoice = state.invoices.values().next().value || {};
			return {
				action: 'CREATED',
				id: invoice.id,
				invoiceDate: invoice.invoiceDate,
				dueDate: invoice.dueDate,
				status: invoice.status,
				total: invoice.total,
				currencyCode: 'USD',
			};
		},
	],
	[
		'SUBSCRIPTION',
		'Subscription',
		'Completed subscription line items (new, change, cancel, renewal, ...)',
		[
			['CREATED', 'Subscription Created'],
			['UPDATED', 'Subscription Updated'],
			['CANCELLED', 'Subscription Cancelled'],
		],
		[
			['companyId', 'UUID', '3d0617ac-57f6-40e3-951d-e91da47a326b'],
			['productId', 'UUID', 'e91bba5e-a9a3-483f-b036-f80165d410e3'],
			['status', 'STRING', 'Active'],
			['billingTerm', 'STRING', 'Monthly'],
			['quantity', 'NUMBER', '5'],
		],
		(state) => {
			const s = state.subscriptions.values().next().value || {};
			return {
				action: 'UPDATED',
				type: 'Change',
				id: s.id,
				companyId: s.companyId,
				productId: s.productId,
				status: s.status,
				billingTerm: s.billingTerm,
				quantity: s.quantity,
			};
		},
	],
	[
		'ORDER',
		'Order',
		'Orders placed for your companies',
		[['CREATED', 'Order Created']],
		[
			['companyId', 'UUID', '3d0617ac-57f6-40e3-951d-e91da47a326b'],
			['orderedBy', 'STRING', 'Customer'],
		],
		(state) => {
			const o = state.orders.values().next().value || { lineItems: [] };
			return {
				action: 'CREATED',
				id: o.id,
				companyId: o.companyId,
				createdDate: o.createdDate,
				orderedBy: o.orderedBy,
				lineItemCount: o.lineItems.length,
			};
		},
	],
	[
		'COMPANY',
		'Company',
		'Company lifecycle events',
		[
			['CREATED', 'Company Created'],
			['UPDATED', 'Company Updated'],
		],
		[
			['status', 'STRING', 'Active'],
			['country', 'STRING', 'US'],
		],
		(state) => {
			const c = state.companies.values().next().value || { address: {} };
			return {
				action: 'UPDATED',
				id: c.id,
				name: c.name,
				status: c.status,
				country: c.address.country,
			};
		},
	],
	[
		'PRODUCT',
		'Product',
		'Catalogue changes',
		[
			['CREATED', 'Product Created'],
			['UPDATED', 'Product Updated'],
			['DELETED', 'Product Deleted'],
		],
		[['vendorName', 'STRING', 'Microsoft']],
		(state) => {
			const p = state.products.values().next().value || {};
			return { action: 'UPDATED', id: p.id, name: p.name, vendorName: p.vendorName, sku: p.sku };
		},
	],
];

function buildTopicDefinitions(state, prng) {
	return TOPICS.map(([topic, name, description, actions, conditions, payload]) => ({
		topic,
		name,
		description,
		availableFilters: actions.map(([action, actionDisplayName]) => ({
			action,
			actionDisplayName,
			description: `${actionDisplayName} events`,
			conditions: conditions.map(([field, dataType, value]) => ({
				field,
				operator: dataType === 'NUMBER' ? NUMBER_OPERATORS : ALL_OPERATORS,
				dataType,
				description: `Filter on ${field}`,
				value,
			})),
		})),
		samplePayload: {
			accountId: state.accountId,
			url: 'https://example.com/pax8/webhooks',
			webhookId: prng.uuid(),
			sentAt: isoDateTime(ANCHOR),
			webhookTopic: {
				id: prng.uuid(),
				topic,
				filters: [{ action: actions[0][0], conditions: [] }],
			},
			payloadData: payload(state),
		},
	}));
}

/** Evaluate one filter condition against the event data. */
function conditionHolds({ field, operator, value }, data) {
	const actual = field.split('.').reduce((obj, key) => (obj == null ? undefined : obj[key]), data);
	const text = actual === undefined || actual === null ? '' : String(actual);
	switch (operator) {
		case 'EQUALS':
			return text === value[0];
		case 'NOT_EQUALS':
			return text !== value[0];
		case 'IN':
			return value.includes(text);
		case 'NOT_IN':
			return !value.includes(text);
		case 'CONTAINS':
			return text.includes(value[0]);
		case 'GREATER_THAN':
			return Number(actual) > Number(value[0]);
		case 'LESS_THAN':
			return Number(actual) < Number(value[0]);
		default:
			return false;
	}
}

/**
 * @param {object} deps
 * @param {object} deps.state    fake state (webhooks, webhookLogs, topicDefinitions are filled here)
 * @param {object} deps.prng     seed PRNG (topic definitions, seeded webhooks)
 * @param {object} deps.ids      PRNG for ids created through the API
 * @param {() => object} deps.getFake  the fake (deliveries, deliverTo)
 * @param {object} deps.helpers  request helpers from pax8.cjs
 */
function createWebhookApi({ state, prng, ids, getFake, helpers: h }) {
	state.topicDefinitions.push(...buildTopicDefinitions(state, prng));
	const deliveryOfLog = new Map(); // logId -> delivery record (payload and headers for retries)
	const now = () => new Date().toISOString();
	const invalid = (ctx, message) => h.fail(ctx, 400, message, undefined, 'INVALID_PARAM');

	function webhookOf(ctx, name = 'id') {
		const id = h.uuidParam(ctx, name);
		const webhook = state.webhooks.get(id);
		if (!webhook) throw h.fail(ctx, 404, `Webhook Not Found: ${id}`);
		return webhook;
	}

	/** Check topics and filters against the topic definitions and give each topic an id. */
	function topicEntries(ctx, entries, existing = []) {
		const seen = new Set(existing.map((t) => t.topic));
		return entries.map(({ topic, filters }) => {
			const definition = state.topicDefinitions.find((d) => d.topic === topic);
			if (!definition) throw invalid(ctx, `Unknown topic: ${topic}`);
			if (seen.has(topic))
				throw invalid(ctx, `Topic ${topic} is already configured for this webhook`);
			seen.add(topic);
			checkFilters(ctx, definition, filters);
			return { id: ids.uuid(), topic, filters: normaliseFilters(filters) };
		});
	}

	function checkFilters(ctx, definition, filters) {
		for (const filter of filters) {
			const available = definition.availableFilters.find((f) => f.action === filter.action);
			if (!available)
				throw invalid(ctx, `Unknown action ${filter.action} for topic ${definition.topic}`);
			for (const condition of filter.conditions) {
				const field = available.conditions.find((c) => c.field === condition.field);
				if (!field)
					throw invalid(
						ctx,
						`Unknown filter field ${condition.field} for ${definition.topic} ${filter.action}`,
					);
				if (!field.operator.includes(condition.operator)) {
					throw invalid(
						ctx,
						`Operator ${condition.operator} is not available for ${condition.field}`,
					);
				}
			}
		}
	}

	const normaliseFilters = (filters) =>
		filters.map((f) => ({
			action: f.action,
			conditions: f.conditions.map((c) => ({
				field: c.field,
				operator: c.operator,
				value: [...c.value],
			})),
		}));

	function changed(webhook) {
		webhook.updatedAt = now();
		return h.ok(webhook);
	}

	// ------------------------------------------------------------------------------ deliveries

	async function attempt(webhook, log, record) {
		const fake = getFake();
		if (!fake.deliverTo) return; // recorded only; the log stays PENDING
		const call = { id: ids.uuid(), timestamp: now(), status: 'PENDING', payload: record.body };
		try {
			if (!record.url) throw new Error('Webhook has no url');
			if (!LOOPBACK_HOSTS.has(new URL(record.url).hostname)) {
				throw new Error('Not delivered: the fake only calls loopback URLs');
			}
			const response = await fetch(record.url, {
				method: 'POST',
				headers: record.headers,
				body: JSON.stringify(record.body),
				signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS),
			});
			await response.arrayBuffer();
			record.status = response.status;
			call.httpStatusCode = response.status;
			call.status = response.ok ? 'SUCCESS' : 'FAILED';
			if (!response.ok) call.errorMessage = `Endpoint answered HTTP ${response.status}`;
		} catch (error) {
			record.error = error.message;
			call.status = 'FAILED';
			call.errorMessage = error.message;
		}
		log.callHistory.push(call);
		log.finalStatus = call.status;
		webhook.lastDeliveryStatus = call.status;
	}

	async function deliver(webhook, topicEntry, payloadData) {
		const body = {
			accountId: state.accountId,
			url: webhook.url,
			webhookId: webhook.id,
			sentAt: now(),
			webhookTopic: topicEntry,
			payloadData,
		};
		const headers = { 'content-type': 'application/json' };
		if (webhook.authorization) headers.authorization = webhook.authorization;
		const record = {
			webhookId: webhook.id,
			topic: topicEntry.topic,
			url: webhook.url,
			headers,
			body,
			ts: Date.now(),
			status: null,
			error: null,
		};
		getFake().deliveries.push(record);
		const log = {
			id: ids.uuid(),
			webhookId: webhook.id,
			webhookName: webhook.displayName,
			topicName: topicEntry.topic,
			finalStatus: 'PENDING',
			callHistory: [],
			createdAt: now(),
		};
		state.webhookLogs.set(log.id, log);
		deliveryOfLog.set(log.id, record);
		await attempt(webhook, log, record);
		return record;
	}

	async function emitEvent(topic, action, payloadData) {
		const records = [];
		for (const webhook of state.webhooks.values()) {
			if (!webhook.active) continue;
			const entry = webhook.webhookTopics.find((t) => t.topic === topic);
			const accepted =
				entry &&
				(entry.filters.length === 0 ||
					entry.filters.some(
						(f) => f.action === action && f.conditions.every((c) => conditionHolds(c, payloadData)),
					));
			if (accepted) records.push(await deliver(webhook, entry, { action, ...payloadData }));
		}
		return records;
	}

	// ------------------------------------------------------------------------------ routes

	function sorted(ctx, items, allowed) {
		const sort = h.parseSort(ctx, ':');
		if (!sort) return items;
		if (!allowed.includes(sort.field)) throw invalid(ctx, `Invalid sort field: ${sort.field}`);
		return sortItems(items, (item) => item[sort.field], sort.descending);
	}

	const routes = {
		Webhooks_query(ctx) {
			const items = h.where(ctx, sorted(ctx, [...state.webhooks.values()], WEBHOOK_SORT_FIELDS), {
				query: (w, v) =>
					[w.displayName, w.url].some((f) => f && f.toLowerCase().includes(v.toLowerCase())),
				active: (w, v) => w.active === h.bool(v),
				topic: (w, v) => w.webhookTopics.some((t) => h.eqi(t.topic, v)),
				status: (w, v) => h.eqi(w.lastDeliveryStatus, v),
				accountId: (w, v) => h.eqi(w.accountId, v),
			});
			return h.ok(h.pageOf(items, h.paging(ctx, Infinity)));
		},

		Webhooks_create(ctx) {
			const body = h.requireBody(ctx);
			const webhook = {
				id: ids.uuid(),
				accountId: state.accountId,
				displayName: body.displayName,
				url: body.url,
				authorization: body.authorization,
				active: body.active === true, // defaults to false
				contactEmail: body.contactEmail,
				errorThreshold: body.errorThreshold === undefined ? 3 : body.errorThreshold,
				integrationId: body.integrationId,
				webhookTopics: topicEntries(ctx, body.webhookTopics || []),
				createdAt: now(),
				updatedAt: now(),
			};
			state.webhooks.set(webhook.id, webhook);
			return h.ok(webhook);
		},

		getTopicDefinitions(ctx) {
			const items = h.where(ctx, sorted(ctx, state.topicDefinitions, TOPIC_SORT_FIELDS), {
				search: (d, v) =>
					[d.topic, d.name, d.description].some((f) => f.toLowerCase().includes(v.toLowerCase())),
				topic: (d, v) => h.eqi(d.topic, v),
			});
			// flat page, unlike the other lists of this API
			const { content, page } = h.pageOf(items, h.paging(ctx, Infinity));
			return h.ok({
				content,
				number: page.number,
				size: page.size,
				totalElements: page.totalElements,
				totalPages: page.totalPages,
			});
		},

		Webhooks_get: (ctx) => h.ok(webhookOf(ctx)),

		Webhooks_delete(ctx) {
			state.webhooks.delete(webhookOf(ctx).id);
			return h.noContent();
		},

		updateConfiguration(ctx) {
			const webhook = webhookOf(ctx);
			const body = h.requireBody(ctx);
			// the configuration is replaced as a whole; displayName is kept when omitted
			webhook.displayName = body.displayName === undefined ? webhook.displayName : body.displayName;
			webhook.url = body.url;
			webhook.authorization = body.authorization;
			webhook.contactEmail = body.contactEmail;
			webhook.errorThreshold = body.errorThreshold === undefined ? 3 : body.errorThreshold;
			return changed(webhook);
		},

		updateStatus(ctx) {
			const webhook = webhookOf(ctx);
			webhook.active = h.requireBody(ctx).active;
			return changed(webhook);
		},

		addWebhookTopic(ctx) {
			const webhook = webhookOf(ctx);
			const body = h.requireBody(ctx);
			webhook.webhookTopics.push(...topicEntries(ctx, [body], webhook.webhookTopics));
			return changed(webhook);
		},

		replaceWebhookTopics(ctx) {
			const webhook = webhookOf(ctx);
			webhook.webhookTopics = topicEntries(ctx, h.requireBody(ctx).webhookTopics);
			return changed(webhook);
		},

		removeWebhookTopic(ctx) {
			const webhook = webhookOf(ctx);
			const topicId = h.uuidParam(ctx, 'topicId');
			if (!webhook.webhookTopics.some((t) => t.id === topicId))
				throw h.fail(ctx, 404, `Webhook Topic Not Found: ${topicId}`);
			webhook.webhookTopics = webhook.webhookTopics.filter((t) => t.id !== topicId);
			webhook.updatedAt = now();
			return h.noContent();
		},

		updateWebhookTopicConfiguration(ctx) {
			const webhook = webhookOf(ctx);
			const topicId = h.uuidParam(ctx, 'topicId');
			const entry = webhook.webhookTopics.find((t) => t.id === topicId);
			if (!entry) throw h.fail(ctx, 404, `Webhook Topic Not Found: ${topicId}`);
			const { filters } = h.requireBody(ctx);
			checkFilters(
				ctx,
				state.topicDefinitions.find((d) => d.topic === entry.topic),
				filters,
			);
			entry.filters = normaliseFilters(filters);
			return changed(webhook);
		},

		async testWebhookTopic(ctx) {
			const webhook = webhookOf(ctx);
			const definition = state.topicDefinitions.find((d) => d.topic === ctx.params.topic);
			if (!definition) throw h.fail(ctx, 404, `Topic Not Found: ${ctx.params.topic}`);
			const entry = webhook.webhookTopics.find((t) => t.topic === definition.topic) || {
				...definition.samplePayload.webhookTopic,
			};
			const record = await deliver(webhook, entry, definition.samplePayload.payloadData);
			return h.ok({ url: webhook.url, webhook, samplePayload: record.body });
		},

		WebhookLogs_query(ctx) {
			const webhook = webhookOf(ctx, 'webhookId');
			const logs = [...state.webhookLogs.values()]
				.filter((l) => l.webhookId === webhook.id)
				.reverse(); // newest first
			const items = h.where(ctx, sorted(ctx, logs, LOG_SORT_FIELDS), {
				topicName: (l, v) => h.eqi(l.topicName, v),
				status: (l, v) => h.eqi(l.finalStatus, v),
				startDate: (l, v) => l.createdAt >= v,
				endDate: (l, v) => l.createdAt <= v,
			});
			return h.ok(h.pageOf(items, h.paging(ctx, Infinity)));
		},

		WebhookLogs_get(ctx) {
			const webhook = webhookOf(ctx, 'webhookId');
			const id = h.uuidParam(ctx, 'id');
			const log = state.webhookLogs.get(id);
			if (!log || log.webhookId !== webhook.id)
				throw h.fail(ctx, 404, `Webhook Log Not Found: ${id}`);
			return h.ok(log);
		},

		async retryWebhookDelivery(ctx) {
			const webhook = webhookOf(ctx, 'webhookId');
			const id = h.uuidParam(ctx, 'logId');
			const log = state.webhookLogs.get(id);
			if (!log || log.webhookId !== webhook.id)
				throw h.fail(ctx, 404, `Webhook Log Not Found: ${id}`);
			const previous = deliveryOfLog.get(id);
			const record = { ...previous, ts: Date.now(), status: null, error: null };
			getFake().deliveries.push(record);
			await attempt(webhook, log, record);
			return { status: 202 };
		},
	};

	/** Seed `count` webhooks (alternately active/inactive), each with one delivered log entry. */
	function seed(count) {
		for (let i = 0; i < count; i++) {
			const definition = state.topicDefinitions[i % state.topicDefinitions.length];
			const created = isoDateTime(ANCHOR - (30 - i) * 86400000);
			const webhook = {
				id: prng.uuid(),
				accountId: state.accountId,
				displayName: `PSA sync ${i + 1}`,
				url: `https://psa.example.com/hooks/pax8/${i + 1}`,
				authorization: `Bearer ${prng.hex(32)}`,
				active: i % 2 === 0,
				contactEmail: 'ops@northstar-it.example',
				errorThreshold: 3,
				webhookTopics: [
					{
						id: prng.uuid(),
						topic: definition.topic,
						filters: [{ action: definition.availableFilters[0].action, conditions: [] }],
					},
				],
				lastDeliveryStatus: 'SUCCESS',
				createdAt: created,
				updatedAt: created,
			};
			state.webhooks.set(webhook.id, webhook);
			const body = {
				...definition.samplePayload,
				url: webhook.url,
				webhookId: webhook.id,
				webhookTopic: webhook.webhookTopics[0],
			};
			const log = {
				id: prng.uuid(),
				webhookId: webhook.id,
				webhookName: webhook.displayName,
				topicName: definition.topic,
				finalStatus: 'SUCCESS',
				callHistory: [
					{
						id: prng.uuid(),
						timestamp: created,
						status: 'SUCCESS',
						httpStatusCode: 200,
						payload: body,
					},
				],
				createdAt: created,
			};
			state.webhookLogs.set(log.id, log);
			deliveryOfLog.set(log.id, {
				webhookId: webhook.id,
				topic: definition.topic,
				url: webhook.url,
				headers: { 'content-type': 'application/json', authorization: webhook.authorization },
				body,
			});
		}
	}

	return { routes, emitEvent, seed };
}

module.exports = { createWebhookApi };
